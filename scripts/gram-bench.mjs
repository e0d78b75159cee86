// node scripts/gram-bench.mjs [--numpy-gram FILE.py] [--quick]: the 500-iteration seed run, direct
// against gram, f64/f32, SIMD/FMA, 1/2 threads, side by side in one tinybench run, and numpy's time for the program as written (bench/numpy_twolayer.py,
// one OpenBLAS thread) and, given a script printing {"f64": [seconds…], "f32": […]}, for its Gram
// form. Each configuration's losses are checked against numpy's fixture before it is timed. A task
// starts from the seed's weights (restored before it, untimed) and ends by reading w1, so a gram run
// includes its re-base (K = x·xᵀ, h = x·w1) and materializing w1, as numpy's Gram form does.
// Needs `npm run build` first. Prints a table (median, p75, p99, relative margin of error, samples).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { Bench } from "tinybench";
import { TwoLayerNet } from "../dist/index.js";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const numpyGram = argv.includes("--numpy-gram") ? argv[argv.indexOf("--numpy-gram") + 1] : undefined;
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const want = JSON.parse(readFileSync(here("../test/fixtures/losses.json"), "utf8")).runs[0].losses;

const CONFIGS = [
  { algorithm: "direct", dtype: "f64" },
  { algorithm: "gram", dtype: "f64", simd: false },
  { algorithm: "gram", dtype: "f64" },
  { algorithm: "gram", dtype: "f64", fma: true },
  { algorithm: "gram", dtype: "f64", threads: 2 },
  { algorithm: "gram", dtype: "f64", threads: 2, fma: true },
  { algorithm: "direct", dtype: "f32" },
  { algorithm: "gram", dtype: "f32" },
  { algorithm: "gram", dtype: "f32", fma: true },
  { algorithm: "gram", dtype: "f32", threads: 2 },
];
const label = (c) => `${c.algorithm} ${c.dtype}${c.simd === false ? " scalar" : ""}${c.fma ? " fma" : ""}${c.threads ? ` ${c.threads} threads` : ""}`;

const bench = new Bench({ time: quick ? 300 : 3000, warmupTime: quick ? 100 : 500, iterations: 10 });
const nets = [];
for (const config of CONFIGS) {
  const net = await TwoLayerNet.create(config);
  nets.push(net);
  const [w1, w2] = [net.w1.slice(), net.w2.slice()];
  const reset = () => { net.w1.set(w1); net.w2.set(w2); };
  const run = async () => {
    const result = await net.train();
    void net.w1[0];
    return result;
  };
  reset();
  const { losses } = await run();
  const tolerance = config.dtype === "f64" ? 1e-9 : 1e-3;
  for (let t = 0; t < (config.dtype === "f64" ? 500 : 300); t++) {
    if (!(Math.abs(losses[t] / want[t] - 1) <= tolerance)) throw new Error(`${label(config)}: loss ${t} is ${losses[t]}, numpy's ${want[t]}`);
  }
  bench.add(label(config), run, { beforeEach: reset });
}

function numpySeconds(script, args) {
  const { stdout, status, stderr } = spawnSync("python3", [script, ...args], { encoding: "utf8", env: { ...process.env, OPENBLAS_NUM_THREADS: "1" } });
  if (status !== 0) throw new Error(`${script}: ${stderr}`);
  return JSON.parse(stdout);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const numpy = {};
const asWritten = numpySeconds(here("../bench/numpy_twolayer.py"), [quick ? "3" : "7", "f64", "f32"]);
for (const dtype of ["f64", "f32"]) numpy[`numpy ${dtype} as written`] = median(asWritten.runs[dtype].seconds) * 1000;
if (numpyGram) {
  const gram = numpySeconds(numpyGram, [quick ? "3" : "7"]);
  for (const dtype of ["f64", "f32"]) numpy[`numpy ${dtype} gram`] = median(gram[dtype]) * 1000;
}

await bench.run();
nets.forEach((net) => net.dispose());
const cpu = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"))?.split(":")[1].trim() ?? os.cpus()[0]?.model;
console.log(`${cpu}, ${os.availableParallelism()} cores, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} (after)`);
console.log(`numpy ${asWritten.numpy}, ${asWritten.blas?.kernel ?? "?"} 1 thread: ${Object.entries(numpy).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(", ")}`);
const ref = (dtype) => [numpy[`numpy ${dtype} as written`], numpy[`numpy ${dtype} gram`]];
console.log("| run | median ms | p75 | p99 | ±rme | samples | × numpy as written | × numpy gram |");
console.log("|---|---|---|---|---|---|---|---|");
for (const task of bench.tasks) {
  const l = task.result.latency;
  const [asIs, gram] = ref(task.name.includes("f32") ? "f32" : "f64");
  console.log(`| ${task.name} | ${l.p50.toFixed(1)} | ${l.p75.toFixed(1)} | ${l.p99.toFixed(1)} | ${l.rme.toFixed(1)}% | ${l.samplesCount} | ${(l.p50 / asIs).toFixed(3)} | ${gram ? (l.p50 / gram).toFixed(3) : "-"} |`);
}
