// Running the built CLI (npm test builds dist/ first) as a user does, in a child process: shared by
// the test/cli*.test.ts files.
import { spawn, spawnSync, type SpawnOptions, type SpawnSyncOptions } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect } from "vitest";

export const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
/** A network of one of everything: millions of iterations a second, for long runs and big files. */
export const TINY = ["--n", "1", "--d-in", "1", "--hidden", "1", "--d-out", "1", "--lr", "1e-3"];

/**
 * What a synchronous run may take: a CLI that hangs is killed, and its test fails (with its output
 * so far and signal SIGKILL), before vitest's 120 s test timeout, which cannot end a test blocked in
 * spawnSync; such a test would hang the whole run.
 */
export const SYNC_LIMIT = { timeout: 100_000, killSignal: "SIGKILL" } as const;

/** Runs the CLI to its end (`nodeFlags` go to node, before the script). */
export function run(args: readonly string[], options: SpawnSyncOptions = {}, nodeFlags: readonly string[] = []) {
  const { status, signal, stdout, stderr } = spawnSync(process.execPath, [...nodeFlags, CLI, ...args], { encoding: "utf8", ...SYNC_LIMIT, ...options });
  return { status, signal, stdout: String(stdout), stderr: String(stderr) };
}

/** Runs the CLI to its end without blocking (for tests that run side by side). */
export async function runAsync(args: readonly string[], options: SpawnOptions = {}): Promise<ReturnType<typeof run>> {
  const { seen, exit, closed } = start(args, options);
  const [{ code, signal }] = await Promise.all([exit, closed]);
  return { status: code, signal, stdout: seen.stdout, stderr: seen.stderr };
}

const made: string[] = [];
// Some runs leave tens of megabytes of --json: every directory made here goes when its file's tests end.
afterAll(() => {
  for (const dir of made.splice(0)) {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A fresh temporary directory, removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "twolayer-cli-"));
  made.push(dir);
  return dir;
}

/** A CLI run we watch as it goes: its output so far, and its exit. */
export function start(args: readonly string[], options: SpawnOptions = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: "pipe", ...options });
  const seen = { stdout: "", stderr: "" };
  child.stdout?.on("data", (chunk) => (seen.stdout += chunk));
  child.stderr?.on("data", (chunk) => (seen.stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  // The streams may still hold output after "exit"; "close" comes once they are drained.
  const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
  return { child, seen, exit, closed };
}

/** Resolves once `ready()` holds (checked every 10 ms); rejects after `ms`. */
export function until(ready: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (ready()) resolve();
      else if (Date.now() > deadline) reject(new Error(`still waiting after ${ms} ms for ${ready.toString()}`));
      else setTimeout(check, 10);
    };
    check();
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A mistake's report: one line on stderr, no stack trace, nothing on stdout, exit code 2. */
export function expectUsageError(result: ReturnType<typeof run>, message: RegExp): void {
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trim().split("\n"), result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at |unexpected error/);
  expect(result.stdout).toBe("");
  expect(result.status).toBe(2);
}
