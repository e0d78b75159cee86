// `twolayer bench` in a child process, with seed runs cut to a few iterations and --quick so that
// each run takes seconds: the table's shape (every configuration, its statistics, the machine and
// runtime named), --json's content, bad flags as one line and exit 2, and a signal's exit code.
// No timing is asserted: only that there are timings.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_CONTENDERS, labelOf } from "../src/bench/index.js";
import { run, runAsync, start, tempDir, until } from "./cli-child.js";

const QUICK = ["bench", "--iterations", "3", "--quick"];

describe("twolayer bench", () => {
  it("prints the table of every configuration with the machine and runtime, and writes --json", async () => {
    const json = join(tempDir(), "bench.json");
    const { status, stdout, stderr } = await runAsync([...QUICK, "--json", json]);
    expect(status, stderr).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^The seed run \(N=64, D_in=1000, H=100, D_out=10, 3 iterations\), timed by tinybench on .+, \d+ cores?; Node v\d+\.\d+\.\d+ \(V8 .+\):$/);
    expect(lines[2]).toMatch(/^run\s+median s\s+mean s\s+p75 s\s+p99 s\s+±rme\s+n\s+× row-streaming JS\s+× js backend$/);
    const rows = lines.slice(4);
    expect(rows.map((r) => r.split(/ {2,}/)[0])).toEqual(CLI_CONTENDERS.map(labelOf));
    for (const row of rows) {
      if (/skipped: /.test(row)) continue;
      // median, mean, p75, p99 in seconds, then rme, samples, and the two ratios.
      expect(row).toMatch(/  \d+\.\d+  +\d+\.\d+  +\d+\.\d+  +\d+\.\d+  +(\d+\.\d%|-)  +\d+  +(\d+\.\d×|-)  +(\d+\.\d×|-)$/);
    }
    expect(rows.find((r) => r.startsWith("row-streaming JS f64"))).toMatch(/ 1\.0× +\d+\.\d×$/);
    expect(stderr).toContain(`${CLI_CONTENDERS.length} runs of 3 iterations, each checked against numpy, then timed`);

    const doc = JSON.parse(readFileSync(json, "utf8"));
    expect(doc.machine.cores).toBeGreaterThan(0);
    expect(doc.machine.cpu).toEqual(expect.any(String));
    expect(doc.machine.runtime).toBe(`Node ${process.version} (V8 ${process.versions.v8})`);
    expect(doc.seedRun).toEqual({ n: 64, dIn: 1000, hidden: 100, dOut: 10, iterations: 3, learningRate: 1e-6 });
    expect(doc.runs.map((r: { label: string }) => r.label)).toEqual(CLI_CONTENDERS.map(labelOf));
    for (const r of doc.runs) {
      if (r.skipped !== undefined) continue;
      expect(r.samples).toBeGreaterThanOrEqual(1);
      expect(r.min).toBeGreaterThan(0);
      expect(r.min).toBeLessThanOrEqual(r.p50);
      expect(r.p50).toBeLessThanOrEqual(r.p75);
      expect(r.p75).toBeLessThanOrEqual(r.p99);
      expect(r.p99).toBeLessThanOrEqual(r.max);
      expect(r.iterations).toBe(3);
    }
    expect(doc.runs[0].options).toEqual({ dtype: "f64", threads: 1, fma: false });
    expect(doc.runs.at(-1).baseline).toBe("row-streaming");
  }, 120_000);

  const BAD: [string[], RegExp][] = [
    [["bench", "--iterations", "0"], /^twolayer: --iterations takes an integer from 1 to 500, got "0"\n$/],
    [["bench", "--iterations", "501"], /--iterations takes an integer from 1 to 500, got "501"/],
    [["bench", "--iterations", "2.5"], /--iterations takes an integer from 1 to 500/],
    [["bench", "--quick=yes"], /--quick takes no value/],
    [["bench", "--dtype", "f32"], /--dtype is an option of twolayer train and predict, not of twolayer bench/],
    [["bench", "--json"], /--json needs a value/],
    [["bench", "--json", "/no/such/dir/b.json"], /--json "\/no\/such\/dir\/b.json": the directory "\/no\/such\/dir" does not exist/],
    [["bench", "--quick", "--quick"], /--quick is given twice/],
    [["bench", "--qick"], /unknown option --qick; did you mean --quick\?/],
    [["train", "--quick"], /--quick is an option of twolayer bench, not of twolayer train/],
    [["bnech"], /unknown command "bnech" \(did you mean 'bench'\?\): the commands are 'train', 'predict' and 'bench'/],
  ];
  it.each(BAD)("%j: one line, exit code 2, before anything is timed", (args, message) => {
    const { status, stdout, stderr } = run(args);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split("\n"), stderr).toHaveLength(1);
    expect(stdout).toBe("");
    expect(status).toBe(2);
  });

  it("--help names every option and the exit codes", () => {
    const { status, stdout } = run(["bench", "--help"]);
    expect(status).toBe(0);
    for (const option of ["--iterations N", "--json FILE", "--quick", "--help"]) expect(stdout).toContain(option);
    expect(stdout).toMatch(/^Usage: twolayer bench/);
    expect(stdout).not.toContain("--dtype");
  });

  it("Ctrl-C stops it: exit 130, no table, no --json", async () => {
    const json = join(tempDir(), "stopped.json");
    const { child, seen, exit, closed } = start(["bench", "--json", json]);
    await until(() => seen.stderr.includes("[1/"));
    child.kill("SIGINT");
    const [{ code }] = await Promise.all([exit, closed]);
    expect(code, seen.stderr).toBe(130);
    expect(seen.stdout).toBe("");
    expect(() => readFileSync(json)).toThrow(/ENOENT/);
  }, 60_000);
});
