// Node: the packed package through its `node` condition trains numpy's seed run, and memory growth
// refreshes an old network's views (the results run.mjs made with the installed tarball).
import assert from "node:assert/strict";
import { test } from "node:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { prepared, readmeSnippet, runOk } from "./lib.mjs";

const { app, node, nodeMemory } = prepared();

test("node: the seed run's losses are numpy's (first and last, 1e-9 relative)", () => {
  assert.ok(node.entry.endsWith("/node_modules/twolayer/dist/entry-node.js"), `node resolved "twolayer" to ${node.entry}`);
  assert.deepEqual(node.backends, ["wasm-simd", "wasm-scalar", "js"]);
  assert.equal(node.simd.length, 500);
  assert.ok(Math.abs(node.simd[0] / 26365524.19345431 - 1) < 1e-9, `loss 0 is ${node.simd[0]}`);
  assert.ok(Math.abs(node.simd[499] / 6.947019049596736e-5 - 1) < 1e-9, `loss 499 is ${node.simd[499]}`);
});

test("node: the scalar build, the JS backend and 2 threads follow the SIMD run (1e-9 relative; sums run in other orders)", () => {
  assert.equal(node.threadsUsed, 2);
  for (const [name, losses] of [["scalar", node.scalar], ["js", node.js], ["2 threads", node.threads2]]) {
    losses.forEach((loss, t) => assert.ok(Math.abs(loss / node.simd[t] - 1) < 1e-9, `${name} loss ${t}: ${loss} vs ${node.simd[t]}`));
  }
});

test("node: memory growth refreshes the old network's views, values intact", () => {
  assert.equal(nodeMemory.oldViewDetached, true, "the second network did not grow memory, so nothing was tested");
  assert.equal(nodeMemory.newViewLength, 16 * 8);
  assert.equal(nodeMemory.valuesIntact, true);
  assert.ok(Number.isFinite(nodeMemory.lossA) && Number.isFinite(nodeMemory.lossB));
});

test("node: README's snippet runs and prints the seed run's last loss", async () => {
  writeFileSync(join(app, "readme-node.mjs"), readmeSnippet("node"));
  const { stdout } = await runOk(process.execPath, ["readme-node.mjs"], { cwd: app });
  const [backend, loss, gflops, unit] = stdout.trim().split(/\s+/);
  assert.equal(backend, "wasm-simd");
  assert.ok(Object.is(Number(loss), node.simd[499]), `printed ${loss}, want ${node.simd[499]}`);
  assert.ok(Number(gflops) > 0 && unit === "GFLOP/s", stdout);
});
