// A stdout that goes away (`| head -1`) or fails (`> /dev/full`) stops training like a signal: no
// EPIPE stack trace, the files still written, the summary saying why the run stopped (exactly as
// README says), exit 141 (128 + SIGPIPE) for a closed pipe and 1 for a write error. A stderr that
// goes away changes nothing.
import { spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, start, SYNC_LIMIT, tempDir, TINY, until } from "./cli-child.js";

const LONG = ["train", ...TINY, "--iterations", "100000000"];

/** The files a stopped run left: both whole, with the iterations the summary reports. */
function expectStoppedFiles(dir: string, stderr: string): void {
  const iterations = Number(/, (\d+) iterations?, loss/.exec(stderr)?.[1]);
  const out = JSON.parse(readFileSync(join(dir, "out.json"), "utf8"));
  expect(out.status).toBe("aborted");
  expect(out.losses).toHaveLength(iterations);
  expect(readFileSync(join(dir, "out.svg"), "utf8")).toMatch(/^<svg[^]*<\/svg>\n$/);
}

const noTrace = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at |unexpected error|EPIPE/);

describe("a closed or failing stdout", () => {
  it("a reader that goes away: training stops, the files are written, exit 141", async () => {
    const dir = tempDir();
    const { child, seen, exit } = start([...LONG, "--json", join(dir, "out.json"), "--plot", join(dir, "out.svg")]);
    await until(() => seen.stdout.length > 0);
    child.stdout!.destroy();
    const { code } = await exit;
    expect(code, seen.stderr).toBe(141);
    expect(seen.stderr).toMatch(/^twolayer: stdout was closed; stopped after (\d+ iterations?)\ntwolayer: wasm-simd f64, \1, .*json .*plot .*\n$/);
    noTrace(seen.stderr);
    expectStoppedFiles(dir, seen.stderr);
  });

  it("`| head -1` in a shell: one line out, exit 141 under pipefail", () => {
    const dir = tempDir();
    const script = `set -o pipefail; "${process.execPath}" "${CLI}" ${LONG.join(" ")} --json "${dir}/out.json" --plot "${dir}/out.svg" | head -1`;
    const { status, stdout, stderr } = spawnSync("bash", ["-c", script], { encoding: "utf8", timeout: 60_000 });
    expect(status, stderr).toBe(141);
    expect(stdout).toMatch(/^0 \S+\n$/);
    // README: "stdout was closed; stopped after 57 iterations", then the summary line; nothing else.
    expect(stderr).toMatch(/^twolayer: stdout was closed; stopped after (\d+ iterations?)\ntwolayer: wasm-simd f64, \1, .*, json \S+out.json, plot \S+out.svg\n$/);
    noTrace(stderr);
    expectStoppedFiles(dir, stderr);
  });

  it("> /dev/full: one line saying so, the files are written, exit 1", async () => {
    const dir = tempDir();
    const full = openSync("/dev/full", "w");
    const { seen, exit } = start([...LONG, "--json", join(dir, "out.json"), "--plot", join(dir, "out.svg")], { stdio: ["ignore", full, "pipe"] });
    closeSync(full);
    const { code } = await exit;
    expect(code, seen.stderr).toBe(1);
    expect(seen.stderr).toMatch(/^twolayer: cannot write to stdout, no space left on device \(ENOSPC\); stopped after \d+ iterations?\n/);
    noTrace(seen.stderr);
    expectStoppedFiles(dir, seen.stderr);
  });

  it("--help > /dev/full: one line, exit 1", () => {
    const full = openSync("/dev/full", "w");
    const { status, stderr } = spawnSync(process.execPath, [CLI, "--help"], { stdio: ["ignore", full, "pipe"], encoding: "utf8", ...SYNC_LIMIT });
    closeSync(full);
    expect(status).toBe(1);
    expect(stderr).toBe("twolayer: cannot write to stdout, no space left on device (ENOSPC)\n");
  });

  it("a closed stderr changes nothing: the run completes and writes its file, exit 0", async () => {
    const dir = tempDir();
    const { child, exit } = start(["train", ...TINY, "--iterations", "5", "--json", join(dir, "out.json")]);
    child.stderr!.destroy();
    const { code } = await exit;
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "out.json"), "utf8")).status).toBe("completed");
  });
});
