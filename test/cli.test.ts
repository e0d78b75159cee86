// The command line as a user runs it: the built CLI (npm test builds dist/ first) in a child process.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pythonFloat } from "../src/format.js";
import { train } from "../src/index.js";
import { SYNC_LIMIT } from "./cli-child.js";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const SMALL = ["--n", "3", "--d-in", "5", "--hidden", "7", "--d-out", "2", "--iterations", "12", "--lr", "1e-3", "--seed", "11"];

function run(...args: string[]) {
  const { status, stdout, stderr } = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", ...SYNC_LIMIT });
  return { status, stdout, stderr };
}

describe("twolayer train", () => {
  it('prints one "t loss" line per iteration, formatted as Python prints floats, and a summary on stderr', async () => {
    const { status, stdout, stderr } = run("train", ...SMALL);
    expect(status, stderr).toBe(0);
    const { losses } = await train({ n: 3, dIn: 5, hidden: 7, dOut: 2, iterations: 12, learningRate: 1e-3, seed: 11 });
    expect(stdout).toBe(Array.from(losses, (loss, t) => `${t} ${pythonFloat(loss)}\n`).join(""));
    expect(stderr).toMatch(/^twolayer: wasm-simd f64, 12 iterations, loss \S+ -> \S+, [\d.]+ s, [\d.]+ GFLOP\/s\n$/);
    const one = run("train", ...SMALL.map((arg, i) => (SMALL[i - 1] === "--iterations" ? "1" : arg)), "--quiet");
    expect(one.stderr).toMatch(/^twolayer: wasm-simd f64, 1 iteration, loss /);
  });

  it("--every K prints every K-th line and the last; --quiet prints none", () => {
    const every = run("train", ...SMALL, "--every", "5");
    expect(every.stdout.split("\n").filter(Boolean).map((line) => line.split(" ")[0])).toEqual(["0", "5", "10", "11"]);
    expect(run("train", ...SMALL, "--quiet").stdout).toBe("");
  });

  it("--json writes config, losses, seconds and backend; --plot writes an SVG; --backend js and --dtype f32 work", () => {
    const dir = mkdtempSync(join(tmpdir(), "twolayer-cli-"));
    const json = join(dir, "out.json");
    const plot = join(dir, "out.svg");
    const { status, stderr } = run("train", ...SMALL, "--quiet", "--json", json, "--plot", plot, "--linear", "--backend", "js", "--dtype=f32");
    expect(status, stderr).toBe(0);
    const out = JSON.parse(readFileSync(json, "utf8"));
    expect(out.config).toMatchObject({ n: 3, dIn: 5, hidden: 7, dOut: 2, iterations: 12, learningRate: 1e-3, seed: 11, dtype: "f32", backend: "js" });
    expect(out.losses).toHaveLength(12);
    expect(out.backend).toBe("js");
    expect(out.seconds).toBeGreaterThanOrEqual(0);
    const svg = readFileSync(plot, "utf8");
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain("train num");
  });

  it("--help prints the usage and exits 0", () => {
    const { status, stdout } = run("--help");
    expect(status).toBe(0);
    expect(stdout).toContain("Usage: twolayer train");
    expect(run("train", "--help").stdout).toContain("--d-in");
    const predict = run("help", "predict");
    expect(predict.status).toBe(0);
    expect(predict.stdout).toMatch(/^Usage: twolayer predict/);
    expect(predict.stdout).not.toContain("Usage: twolayer train");
  });

  it("--version, -v and version print the package's name and version, and exit 0", () => {
    const { name, version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    for (const arg of ["--version", "-v", "version"]) expect(run(arg)).toMatchObject({ status: 0, stdout: `${name} ${version}\n`, stderr: "" });
    expect(run("--version", "train")).toMatchObject({ status: 2, stdout: "", stderr: 'twolayer: unexpected argument "train": twolayer --version takes none\n' });
  });

  const BAD: [string[], RegExp][] = [
    [["train", "--n", "0"], /--n takes an integer from 1/],
    [["train", "--n", "-3"], /--n takes an integer from 1/],
    [["train", "--d-in", "2.5"], /--d-in takes an integer from 1/],
    [["train", "--hidden", "abc"], /--hidden takes an integer/],
    [["train", "--d-out", ""], /--d-out takes an integer/],
    [["train", "--iterations", "-1"], /--iterations takes an integer from 0/],
    [["train", "--lr", "NaN"], /--lr takes a finite number >= 0/],
    [["train", "--lr", "-1e-6"], /--lr takes a finite number >= 0/],
    [["train", "--lr", "Infinity"], /--lr takes a finite number >= 0/],
    [["train", "--seed", "4294967296"], /--seed takes an integer from 0 to 4294967295/],
    [["train", "--seed", "-1"], /--seed takes an integer from 0 to 4294967295/],
    [["train", "--dtype", "f16"], /--dtype takes f64 or f32/],
    [["train", "--backend", "gpu"], /--backend takes wasm or js/],
    [["train", "--every", "0"], /--every takes an integer from 1/],
    [["train", "--itertions", "5"], /unknown option --itertions; did you mean --iterations\?/],
    [["train", "--n"], /--n needs a value/],
    [["train", "--quiet=yes"], /--quiet takes no value/],
    [["train", "extra"], /unexpected argument "extra"/],
    [["fly"], /unknown command "fly": the commands are/],
    [["trian"], /unknown command "trian" \(did you mean 'train'\?\): the commands are 'train', 'predict' and 'bench'/],
    [["Predict"], /unknown command "Predict" \(did you mean 'predict'\?\)/],
    [["predcit"], /unknown command "predcit" \(did you mean 'predict'\?\)/],
    [[], /missing command/],
    [["train", "--n", "65536", "--d-in", "65536", "--hidden", "1", "--d-out", "1"], /needs \d+ bytes but one network may take at most/],
  ];
  it.each(BAD)("%j: one line naming the flag, exit code 2, no stack trace", (args, message) => {
    const { status, stdout, stderr } = run(...args);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split("\n"), stderr).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe("");
    expect(status).toBe(2);
  });

  it("a diverging run prints the inf line, says to lower the learning rate and exits 3", () => {
    const { status, stdout, stderr } = run("train", "--lr", "1e-3", "--iterations", "50");
    expect(status).toBe(3);
    expect(stdout.trim().split("\n").at(-1)).toMatch(/^\d+ (inf|nan)$/);
    expect(stderr).toMatch(/the loss became (inf|nan) at iteration \d+ \(last finite loss \S+\): the learning rate 0.001 is too large/);
  });

  it("Ctrl-C stops training, still writes --json, and exits 130", async () => {
    const dir = mkdtempSync(join(tmpdir(), "twolayer-cli-"));
    const json = join(dir, "partial.json");
    const child = spawn(process.execPath, [CLI, "train", "--iterations", "100000000", "--n", "8", "--d-in", "8", "--hidden", "8", "--d-out", "2", "--lr", "1e-9", "--json", json]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    await new Promise<void>((resolve) => {
      const check = () => (stdout.length > 1000 ? resolve() : setTimeout(check, 20));
      check();
    });
    child.kill("SIGINT");
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/interrupted after \d+ iterations?/);
    const out = JSON.parse(readFileSync(json, "utf8"));
    expect(out.status).toBe("aborted");
    expect(out.losses.length).toBeGreaterThan(10);
  });
});
