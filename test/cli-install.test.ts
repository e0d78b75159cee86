// A broken install — a shipped .wasm missing or damaged — is exit code 1 with a message naming the
// file and saying to reinstall, not exit 2 ("bad arguments"). We run the built CLI from a copy of
// the package whose build/ we break.
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SYNC_LIMIT, tempDir, TINY } from "./cli-child.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SIMD = "twolayer.simd.wasm";

/** A copy of the package (dist/, build/, package.json; node_modules linked) with build/SIMD replaced by `bytes`, or removed. */
function brokenCopy(bytes: Uint8Array | undefined): string {
  const dir = tempDir();
  for (const part of ["dist", "build", "package.json"]) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  if (bytes === undefined) rmSync(join(dir, "build", SIMD));
  else writeFileSync(join(dir, "build", SIMD), bytes);
  return dir;
}

function runIn(dir: string, ...args: string[]) {
  const { status, stdout, stderr } = spawnSync(process.execPath, [join(dir, "dist", "cli.js"), "train", ...TINY, "--iterations", "3", ...args], { encoding: "utf8", ...SYNC_LIMIT });
  return { status, stdout, stderr };
}

const simd = readFileSync(join(ROOT, "build", SIMD));
const BROKEN: [string, Uint8Array | undefined, RegExp][] = [
  ["missing", undefined, /build\/twolayer\.simd\.wasm is missing/],
  ["empty", new Uint8Array(0), /build\/twolayer\.simd\.wasm is empty/],
  ["garbage", new TextEncoder().encode("<html>404 Not Found</html>"), /build\/twolayer\.simd\.wasm is not a valid WebAssembly module/],
  ["cut in half", simd.subarray(0, simd.length >> 1), /build\/twolayer\.simd\.wasm is not a valid WebAssembly module/],
  ["one byte flipped in its code", Uint8Array.from(simd, (b, i) => (i === simd.length - 40 ? b ^ 0xff : b)), /build\/twolayer\.simd\.wasm (is not a valid WebAssembly module|did not load)/],
  ["another build in its place", readFileSync(join(ROOT, "build", "twolayer.threads.wasm")), /build\/twolayer\.simd\.wasm did not load \(.*memory/],
];

describe("a broken install", () => {
  it.each(BROKEN)("build/*.wasm %s: one line naming the file and to reinstall, exit 1, no file left", (_, bytes, message) => {
    const dir = brokenCopy(bytes);
    const out = tempDir();
    const { status, stdout, stderr } = runIn(dir, "--json", join(out, "run.json"));
    expect(stderr).toMatch(/^twolayer: this installation is broken: .*; reinstall twolayer \(npm install twolayer; in a git checkout, npm run build\)\n$/);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe("");
    expect(status).toBe(1);
    expect(readdirSync(out)).toEqual([]);
  });

  it("--backend js needs no wasm and still runs", () => {
    const { status, stderr, stdout } = runIn(brokenCopy(undefined), "--backend", "js");
    expect(status, stderr).toBe(0);
    expect(stdout.trim().split("\n")).toHaveLength(3);
  });
});
