// npm run bench:numpy, last part: the targets against numpy, measured in alternation. Speed on a
// shared machine drifts within minutes, so the runs a target compares are timed side by side: each
// round runs every contender once, ours (timed as tinybench times a sample: reset untimed, then
// performance.now() around one run) beside numpy's (one numpy_twolayer.py --serve on one OpenBLAS
// thread, numpy-server.mjs, timed by Python's perf_counter). Every run's losses are checked; the
// times go through tinybench's statistics (statistics.mjs), and each target pair has its ratio of
// medians and the spread of its round-by-round ratios.
import { TwoLayerNet } from "../dist/index.js";
import { BENCH_CONTENDERS, fixed, labelOf, prepareSeedRun, secondsText, textTable } from "../dist/bench/index.js";
import { checked, fail, numpyLosses } from "./common.mjs";
import { startNumpyServer } from "./numpy-server.mjs";
import { numpyAvailable, numpyLabel } from "./numpy.mjs";
import { statistics } from "./statistics.mjs";

const ITERATIONS = 500;
/** Untimed runs of each contender before the rounds. */
const WARMUP = 2;
const ROUNDS = 15;
const QUICK_ROUNDS = 3;
/** Our rows of the targets against numpy's program as written (targets.mjs reads their ratios by these labels). */
export const DIRECT = "wasm f64 SIMD, 1 thread";
export const GRAM = "gram wasm f64 SIMD, 1 thread";
/** The Gram form's f64 wasm rows that the best-gram target picks from (SIMD and FMA, 1 and 2 threads). */
const isGramF64 = (label) => label.startsWith("gram wasm f64 ") && !label.includes("scalar");

/** One of our configurations, ready: `time()` runs it once from the seed weights, checks it and resolves to its seconds. */
async function ours(contender) {
  const label = labelOf(contender);
  const prepared = await prepareSeedRun(contender, ITERATIONS, (options) => TwoLayerNet.create(options));
  if ("skipped" in prepared) fail(`${label}: ${prepared.skipped}`); // npm run bench runs every configuration
  return {
    label,
    contender,
    async time() {
      prepared.reset();
      const start = performance.now();
      const losses = await prepared.run();
      const elapsed = performance.now() - start;
      checked(label, losses, "f64");
      return elapsed / 1000;
    },
    dispose: () => prepared.dispose(),
  };
}

/** numpy's program in `form`, f64 on the server's one thread, as a contender like ours. */
function numpys(server, form) {
  const label = numpyLabel(form, "f64", 1);
  return {
    label,
    contender: { baseline: "numpy", form, threads: 1 },
    async time() {
      const run = await server.run(form, "f64");
      checked(label, run.losses, "f64", numpyLosses);
      return run.seconds;
    },
    dispose: () => {},
  };
}

const median = (sorted) => (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;

/** `ours`/`numpy`: the ratio of the rows' medians, and the median, least and greatest of the rounds' ratios. */
export function pairRatio(ours, numpy, rowOf, seconds) {
  const theirs = seconds.get(numpy);
  const byRound = seconds.get(ours).map((s, i) => s / theirs[i]).sort((a, b) => a - b);
  return { ours, numpy, ratio: rowOf(ours).p50 / rowOf(numpy).p50, rounds: { median: median(byRound), min: byRound[0], max: byRound.at(-1) } };
}

/** The paired table: each contender's median (and the main table's), and its ratios to numpy where it is in a target pair. */
function pairedTable(rows, ratios, mainRows, references) {
  const ratioCell = (label, numpy) => {
    const p = ratios.find((r) => r.ours === label && r.numpy === numpy);
    return p ? `${fixed(p.ratio, 3)} (${fixed(p.rounds.median, 3)}, ${fixed(p.rounds.min, 3)}–${fixed(p.rounds.max, 3)})` : "";
  };
  const headers = ["contender", "median s", "±rme", "main table s", ...references.map((numpy) => `÷ ${numpy} (by round: median, min–max)`)];
  const body = rows.map((r) => [
    r.label,
    secondsText(r.p50),
    `${fixed(r.rme, 1)}%`,
    secondsText(mainRows.find((m) => m.label === r.label)?.p50),
    ...references.map((numpy) => ratioCell(r.label, numpy)),
  ]);
  return textTable(headers, body);
}

/**
 * Times the target pairs in alternation, after the main table (`rows`, whose medians the table
 * shows beside these). Resolves to { rounds, blas, rows, ratios }, or null without python3 and numpy.
 */
export async function pairedSuite(rows, { quick = false } = {}) {
  if (!numpyAvailable()) return null; // numpy.mjs has said so
  const rounds = quick ? QUICK_ROUNDS : ROUNDS;
  const mine = [];
  for (const contender of BENCH_CONTENDERS.filter((c) => labelOf(c) === DIRECT || isGramF64(labelOf(c)))) {
    process.stderr.write(`bench: paired: preparing ${labelOf(contender)}\n`);
    mine.push(await ours(contender));
  }
  const server = await startNumpyServer(1);
  const numpyDirect = numpys(server, "direct");
  const numpyGram = numpys(server, "gram");
  // Each numpy run beside the runs compared with it: the direct program, numpy's, the Gram form on
  // one thread, numpy's Gram form, then the other Gram rows.
  const byLabel = (label) => mine.find((c) => c.label === label);
  const otherGrams = mine.filter((c) => c.label !== DIRECT && c.label !== GRAM);
  const order = [byLabel(DIRECT), numpyDirect, byLabel(GRAM), numpyGram, ...otherGrams];

  process.stderr.write(`bench: paired: ${WARMUP} untimed runs of each of ${order.length}\n`);
  for (let i = 0; i < WARMUP; i++) for (const c of order) await c.time();
  const seconds = new Map(order.map((c) => [c.label, []]));
  for (let round = 0; round < rounds; round++) {
    for (const c of order) seconds.get(c.label).push(await c.time());
    process.stderr.write(`bench: paired round ${round + 1}/${rounds}: ${order.map((c) => `${c.label} ${secondsText(seconds.get(c.label)[round])} s`).join(", ")}\n`);
  }
  await server.close();
  for (const c of order) c.dispose();

  const results = [];
  for (const c of order) results.push({ label: c.label, dtype: "f64", iterations: ITERATIONS, contender: c.contender, ...(await statistics(c.label, seconds.get(c.label))) });
  const rowOf = (label) => results.find((r) => r.label === label);
  const ratios = [
    pairRatio(DIRECT, numpyDirect.label, rowOf, seconds),
    pairRatio(GRAM, numpyDirect.label, rowOf, seconds),
    ...mine.filter((c) => isGramF64(c.label)).map((c) => pairRatio(c.label, numpyGram.label, rowOf, seconds)),
  ];
  console.log(`\nTargets against numpy, measured in alternation (${rounds} rounds, one seed run of each per round; ÷: the ratio of the medians, and of each round's two runs):\n`);
  console.log(pairedTable(results, ratios, rows, [numpyDirect.label, numpyGram.label]));
  return { rounds, blas: server.info.blas, rows: results, ratios };
}
