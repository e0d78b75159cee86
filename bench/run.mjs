// npm run bench [-- --quick]; npm run bench:numpy (-- --numpy): twolayer's speed, side by side in one
// run, every result checked before its time counts, timed by tinybench. The parts, each in its file:
//   kernels.mjs    each kernel on the seed network's shapes, every build and the js backend
//   overhead.mjs   one step of a 1×1×1×1 network (the calling overhead)
//   seed-runs.mjs  the whole seed run for every configuration (src/bench/contenders.ts), the js
//                  backend, row-streaming JS and the textbook JavaScript (textbook.mjs)
//   numpy.mjs      with --numpy: numpy_twolayer.py as written and in its Gram form, 1 and 2 threads
//   paired.mjs     with --numpy: the runs the numpy targets compare, timed in alternation with
//                  numpy's (one numpy_twolayer.py --serve, numpy-server.mjs), round by round
//   targets.mjs    the targets, as this run measured them
// Prints the tables and writes bench/results.json with the machine it ran on.
import { writeFileSync } from "node:fs";
import os from "node:os";
import { SEED_RUN_COLUMNS, fixed, machineLine, seedRunTable, timesFaster } from "../dist/bench/index.js";
import { nodeMachine } from "../dist/bench/machine-node.js";
import { relaxedSimdSupported } from "../dist/builds/features.js";
import { here } from "./common.mjs";
import { kernelSuite } from "./kernels.mjs";
import { numpySuite } from "./numpy.mjs";
import { overheadSuite } from "./overhead.mjs";
import { pairedSuite } from "./paired.mjs";
import { seedRunSuite } from "./seed-runs.mjs";
import { previousDirectRatio, targets, targetsTable } from "./targets.mjs";

const args = new Set(process.argv.slice(2));
const withNumpy = args.has("--numpy");
const quick = args.has("--quick"); // fewer samples, for trying the script out
const resultsPath = here("results.json");

const machine = { ...nodeMachine(), memoryGiB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.type()} ${os.release()} ${os.arch()}`, load: os.loadavg(), date: new Date().toISOString() };
await relaxedSimdSupported(); // sets Node 20's V8 flag before any FMA build compiles
console.log(`twolayer benchmark: ${machineLine(machine)}, ${machine.platform}; load average ${machine.load.map((l) => l.toFixed(2)).join(" ")}`);

const kernels = [...(await kernelSuite("f64", { quick })), ...(await kernelSuite("f32", { quick }))];
const overhead = await overheadSuite({ quick });
const runs = await seedRunSuite({ quick });
const numpy = withNumpy ? await numpySuite({ quick }) : null;
if (!withNumpy) console.log("\nnumpy: not timed (npm run bench:numpy times it too, where python3 with numpy exists)");

const rows = [...runs, ...(numpy?.results ?? [])];
/** A row as results.json holds it: the contender's options, or the program and how it ran, in place of the contender. */
const resultRow = ({ contender, ...r }) => ({ ...r, ...("options" in contender ? { options: contender.options } : { baseline: contender.baseline, ...contender }) });
const numpyOne = rows.find((r) => r.contender.baseline === "numpy" && r.contender.form === "direct" && r.dtype === "f64" && r.contender.threads === 1);
const columns = [
  ...SEED_RUN_COLUMNS,
  timesFaster(() => "textbook JS f64", "× textbook JS"),
  { header: "time / numpy f64 1 thread", cell: (r) => (numpyOne && r.p50 !== undefined ? fixed(r.p50 / numpyOne.p50, 2) : "-") },
];
console.log(`\nThe whole seed run (500 iterations, N=64, D_in=1000, H=100, D_out=10; the training loop only), tinybench's statistics of each run's time:\n`);
console.log(seedRunTable(rows, columns));
console.log(`\nOne step of a 1×1×1×1 network (calling overhead, median): ${overhead.map((o) => `${o.backend} ${fixed(o.microseconds, 2)} µs`).join(", ")}`);
if (numpy) console.log(`\nnumpy ${numpy.numpy} (Python ${numpy.python}), ${numpy.blas ? `${numpy.blas.library}, kernel ${numpy.blas.kernel}` : "BLAS unknown"}`);
const paired = withNumpy ? await pairedSuite(rows, { quick }) : null;

const measured = targets(rows, overhead, previousDirectRatio(resultsPath, machine.cpu), paired);
console.log(`\nTargets in this run (ratios of medians${paired ? "; those against numpy from the runs in alternation" : ""}):\n`);
console.log(targetsTable(measured));

const results = {
  machine,
  targets: measured,
  numpy: numpy ? { python: numpy.python, numpy: numpy.numpy, blas: numpy.blas } : null,
  kernels,
  runs: rows.map(resultRow),
  paired: paired ? { rounds: paired.rounds, blas: paired.blas, rows: paired.rows.map(resultRow), ratios: paired.ratios } : null,
  overhead,
};
writeFileSync(resultsPath, JSON.stringify(results, null, 2) + "\n");
console.log("\nwrote bench/results.json");
