// Deno and Bun: the same scripts as Node, run with the installed tarball, must give Node's losses
// bit for bit (the deterministic builds; FMA is not among them), and the same memory-growth report.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { bin, prepared, readmeSnippet, runOk, sameBits } from "./lib.mjs";

const { app, work, node, nodeMemory } = prepared();

// The file each runtime's export conditions must pick ("deno" fetches, "bun" reads with node:fs).
const ENTRY = { deno: "/dist/entry-browser.js", bun: "/dist/entry-node.js" };

const runtimes = {
  // Deno uses the app's package.json and node_modules; it needs only to read the package's files.
  deno: (script) => runOk(bin("deno"), ["run", "--allow-read", "--allow-env", script], {
    cwd: app,
    env: { DENO_DIR: join(work, "deno-dir"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
  }),
  bun: (script) => runOk(bin("bun"), ["run", script], { cwd: app, env: { NO_COLOR: "1" } }),
};

for (const [name, runScript] of Object.entries(runtimes)) {
  describe(name, () => {
    test(`${name}: README's snippet runs and prints Node's loss 99`, async () => {
      writeFileSync(join(app, `readme-${name}.mjs`), readmeSnippet(name));
      const { stdout } = await runScript(`readme-${name}.mjs`);
      const [backend, loss] = stdout.trim().split(/\s+/);
      assert.equal(backend, "wasm-simd");
      assert.ok(Object.is(Number(loss), node.simd[99]), `printed ${loss}, Node's loss 99 is ${node.simd[99]}`);
    });

    test(`${name}: the seed run (SIMD, scalar, JS, 2 threads) and the small network equal Node's bit for bit`, async () => {
      const got = JSON.parse((await runScript("train.mjs")).stdout);
      assert.equal(got.runtime, name);
      assert.ok(got.entry.endsWith(`/node_modules/twolayer${ENTRY[name]}`), `${name} resolved "twolayer" to ${got.entry}`);
      assert.deepEqual(got.backends, ["wasm-simd", "wasm-scalar", "js"]);
      sameBits(got.simd, node.simd, `${name} wasm-simd`);
      sameBits(got.scalar, node.scalar, `${name} wasm-scalar`);
      sameBits(got.js, node.js, `${name} js`);
      assert.equal(got.threadsUsed, 2, `${name} ran threads: 2 on ${got.threadsUsed} thread(s)`);
      sameBits(got.threads2, node.threads2, `${name} wasm-simd, 2 threads`);
      sameBits(got.small, node.small, `${name} small network`);
    });

    test(`${name}: memory growth refreshes the old network's views, values intact`, async () => {
      const got = JSON.parse((await runScript("memory.mjs")).stdout);
      assert.equal(got.oldViewDetached, true, "the second network did not grow memory, so nothing was tested");
      assert.equal(got.valuesIntact, true);
      assert.equal(got.newViewLength, nodeMemory.newViewLength);
      assert.ok(Object.is(got.lossA, nodeMemory.lossA) && Object.is(got.lossB, nodeMemory.lossB), JSON.stringify(got));
    });
  });
}
