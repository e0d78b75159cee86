// node scripts/kernels-side-by-side.mjs OLD.wasm NEW.wasm [build] [rounds]
//
// Two files of one build (default simd) in one process, each kernel of npm run bench's list
// (bench/kernels.mjs: the seed step's shapes, f64) timed on both, alternating `rounds` times
// (default 9): prints both medians and NEW / OLD per kernel. The kernels' counterpart of
// side-by-side.mjs, for a change inside one kernel, whose effect on a whole run is smaller than the
// noise between runs. OLD is typically the build of a worktree of an earlier commit. Each result is
// checked against OLD's first, to 1e-12 of the largest value.
import { readFileSync } from "node:fs";
import { kernelList, operands, worstDifference } from "../bench/kernels.mjs";

const [oldPath, newPath, build = "simd", roundsArg = "9"] = process.argv.slice(2);
if (!oldPath || !newPath) {
  console.error("usage: node scripts/kernels-side-by-side.mjs OLD.wasm NEW.wasm [build] [rounds]");
  process.exit(2);
}
const rounds = Number(roundsArg);
const sides = [await operands("f64", { build, source: readFileSync(oldPath) }), await operands("f64", { build, source: readFileSync(newPath) })];
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

for (const kernel of kernelList("f64")) {
  const [want, got] = sides.map(({ kernels, o }) => Float64Array.from(kernel.run(kernels, o).array));
  if (!(worstDifference(got, want) <= 1e-12)) {
    console.error(`${kernel.name}: NEW's result differs from OLD's`);
    process.exit(1);
  }
  // 50 ms of untimed calls on each side first (V8 compiles a wasm function's optimized code only
  // once it has run a while), then enough calls per sample for about a millisecond on OLD.
  for (const { kernels, o } of sides) for (const until = performance.now() + 50; performance.now() < until; ) kernel.run(kernels, o);
  const start = performance.now();
  for (let i = 0; i < 10; i++) kernel.run(sides[0].kernels, sides[0].o);
  const calls = Math.max(1, Math.round(10 / Math.max(performance.now() - start, 1e-3)));
  const times = [[], []];
  for (let r = 0; r < rounds; r++) {
    for (const [j, { kernels, o }] of sides.entries()) {
      const t = performance.now();
      for (let i = 0; i < calls; i++) kernel.run(kernels, o);
      times[j].push(((performance.now() - t) / calls) * 1000);
    }
  }
  const [before, after] = times.map(median);
  console.log(`${kernel.name}: old ${before.toFixed(2)} µs, new ${after.toFixed(2)} µs, new / old ${(after / before).toFixed(3)}`);
}
process.exit(0);
