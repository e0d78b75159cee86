// npm run bench, part 2: the whole seed run (500 iterations; the training loop only) for every
// configuration of src/bench/contenders.ts' BENCH_CONTENDERS, and the textbook triple-loop
// JavaScript (textbook.mjs) as one more contender: each checked against numpy's losses, then timed by
// tinybench (src/bench/measure.ts).
import { TwoLayerNet } from "../dist/index.js";
import { BENCH_CONTENDERS, FULL_TIMING, QUICK_TIMING, measureSeedRuns, secondsText } from "../dist/bench/index.js";
import { textbookData, textbookTrain } from "./textbook.mjs";

/** The textbook program as a contender: its data made (untimed) before each run. */
const TEXTBOOK = {
  baseline: "textbook",
  dtype: "f64",
  label: "textbook JS f64",
  start(iterations) {
    let data;
    return { reset: () => { data = textbookData(); }, run: () => Float64Array.from(textbookTrain(data, iterations)) };
  },
};

export async function seedRunSuite({ quick = false } = {}) {
  const contenders = [...BENCH_CONTENDERS, TEXTBOOK];
  return measureSeedRuns(contenders, {
    iterations: 500,
    timing: quick ? QUICK_TIMING : FULL_TIMING,
    create: (options) => TwoLayerNet.create(options),
    onProgress: ({ label, done, result, index, count }) => {
      if (!done) return;
      if (result.skipped !== undefined) throw new Error(`${label}: ${result.skipped}`); // npm run bench runs every configuration
      process.stderr.write(`bench: [${index + 1}/${count}] ${label}: median ${secondsText(result.p50)} s over ${result.samples} runs${result.samples > 1 ? ` (±${result.rme.toFixed(1)}%)` : ""}\n`);
    },
  });
}
