// node scripts/gram-profile.mjs [options JSON] [iterations]
//
// Where an iteration of the Gram form spends its time: the seed network's data (or the sizes and
// build the options give, one thread), the lines of src/gram-program.ts run in a training
// iteration's order on one thread (the pass; w2's check, S_next, the h update and w2's update, as
// src/gram.ts's checked update runs them, S and S_next swapped after), each line timed, for
// `iterations` iterations (default 3000, the first 500 untimed). Prints each line's mean µs, its
// share, and the sum. The lines run with a learning rate of 0, so the state stays the seed's: the
// times are those of the kernels on the seed's values, in the order and with the caches a real
// iteration has. Needs `npm run build` first.
import { carveGram, carveNet } from "../dist/layout.js";
import { drawData, reserveNetwork } from "../dist/open-network.js";
import { netOptions } from "../dist/options.js";
import { GRAM_BASE, GRAM_FORWARD_BACKWARD, GRAM_S_NEXT, GRAM_UPDATE, GRAM_UPDATE_CHECKS } from "../dist/gram-program.js";

const [json = "{}", iterationsArg = "3000"] = process.argv.slice(2);
const checked = netOptions({ ...JSON.parse(json), algorithm: "gram", threads: 1 });
const { config } = checked;
const { compute, arena } = await reserveNetwork(config, false);
const blocks = { ...carveNet(arena, config), ...carveGram(arena, config) };
drawData(blocks, checked);
const { kernels } = compute;
blocks.xUsed.array.set(blocks.x.array); // the x the state is built from (src/gram.ts's sync copies it)
for (const line of GRAM_BASE) line.run(kernels, blocks, config, 0);

const lines = [...GRAM_FORWARD_BACKWARD, GRAM_UPDATE_CHECKS.find((l) => l.writes === "w2"), GRAM_S_NEXT, ...GRAM_UPDATE.filter((l) => l.writes !== "S")];
const total = new Float64Array(lines.length);
const iterations = Number(iterationsArg);
const untimed = Math.min(500, iterations >> 1);
for (let t = 0; t < iterations; t++) {
  for (const [j, line] of lines.entries()) {
    const start = performance.now();
    line.run(kernels, blocks, config, 0);
    if (t >= untimed) total[j] += performance.now() - start;
  }
  [blocks.s, blocks.sNext] = [blocks.sNext, blocks.s];
}
const micro = [...total].map((ms) => (ms / (iterations - untimed)) * 1000);
const sum = micro.reduce((a, b) => a + b, 0);
console.log(`Gram form, ${compute.backend}${compute.fmaUsed ? " FMA" : ""} ${config.dtype}, ${config.n}×${config.dIn}×${config.hidden}×${config.dOut}, one thread: µs per iteration (mean of ${iterations - untimed})`);
for (const [j, line] of lines.entries()) console.log(`${micro[j].toFixed(2).padStart(8)}  ${((100 * micro[j]) / sum).toFixed(0).padStart(3)}%  ${line.numpy.join("; ")}`);
console.log(`${sum.toFixed(1).padStart(8)}        the iteration`);
arena.dispose();
compute.dispose();
process.exit(0);
