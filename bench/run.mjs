// npm run bench [-- --numpy] [-- --quick]: twolayer's speed, measured side by side in one run.
//
// 1. Each kernel on the seed network's shapes, for the wasm SIMD build (register-blocked micro-
//    kernels), the FMA build (the matrix products), the scalar build and the plain TypeScript
//    backend: GFLOP/s for the products, GB/s (bytes read + written) for the element-wise kernels,
//    and the ratio to TypeScript. Each result is checked against the TypeScript reference first.
// 2. The whole 500-iteration seed run (the training loop; creating the data excluded), for
//    f64/f32 × SIMD/FMA × 1/2 threads, the scalar build, the TypeScript backend and the textbook
//    triple-loop JavaScript (bench/textbook.mjs); with --numpy also the numpy program
//    (bench/numpy_twolayer.py, one OpenBLAS thread and two). Every run's losses are checked against
//    numpy's (test/fixtures/losses.json) before its time counts.
// 3. One step of a 1×1×1 network: the calling overhead.
// Prints tables and writes bench/results.json with the machine it ran on.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { Bench } from "tinybench";
import { TwoLayerNet, flopsPerStep } from "../dist/index.js";
import { jsKernels } from "../dist/js-kernels.js";
import * as ref from "../dist/js-kernels.js";
import { panelsLength } from "../dist/kernels.js";
import { relaxedSimdSupported } from "../dist/builds/features.js";
import { loadBuild } from "../dist/builds/load.js";
import { defaultWasmUrl } from "../dist/builds/source.js";
import { NumpyRandomState } from "../dist/numpy/random-state.js";
import { wasmKernels } from "../dist/wasm-kernels.js";
import { textbookData, textbookTrain } from "./textbook.mjs";

const args = new Set(process.argv.slice(2));
const withNumpy = args.has("--numpy");
const quick = args.has("--quick"); // shorter timings, for trying the script out
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const fixture = JSON.parse(readFileSync(here("../test/fixtures/losses.json"), "utf8"));
const numpyLosses = fixture.runs[0].losses;
const SEED = { n: 64, dIn: 1000, hidden: 100, dOut: 10 };
const FLOPS_PER_RUN = flopsPerStep(SEED) * 500;

// ---------------------------------------------------------------------------------------------
// Machine
// ---------------------------------------------------------------------------------------------

function cpuModel() {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"));
    if (line) return line.split(":")[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? "unknown";
}

const machine = {
  cpu: cpuModel(),
  cores: os.availableParallelism(),
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  platform: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
  v8: process.versions.v8,
  date: new Date().toISOString(),
};
await relaxedSimdSupported(); // sets Node 20's V8 flag before any FMA build compiles

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const fmt = (v, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : "-");
function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

// ---------------------------------------------------------------------------------------------
// 1. Kernels
// ---------------------------------------------------------------------------------------------

const KERNEL_VARIANTS = [
  { name: "wasm SIMD", build: "simd" },
  { name: "wasm FMA", build: "fma", productsOnly: true },
  { name: "wasm scalar", build: "scalar" },
  { name: "TypeScript", build: null },
];

/** The seed step's operands for one dtype and variant, with the kernels to run on them. */
async function operands(dtype, variant) {
  const Type = dtype === "f64" ? Float64Array : Float32Array;
  const bytes = Type.BYTES_PER_ELEMENT;
  let kernels;
  let block;
  if (variant.build === null) {
    kernels = jsKernels(dtype);
    block = (length) => ({ offset: 0, length, array: new Type(length) });
  } else {
    const { exports } = await loadBuild(variant.build, defaultWasmUrl(variant.build));
    kernels = wasmKernels(exports, dtype);
    block = (length) => {
      const offset = exports.heap_alloc(length * bytes) >>> 0;
      return { offset, length, get array() { return new Type(exports.memory.buffer, offset, length); } };
    };
  }
  const { n, dIn, hidden: H, dOut } = SEED;
  const random = new NumpyRandomState(1);
  const filled = (length, scale = 1) => {
    const b = block(length);
    const a = b.array;
    for (let i = 0; i < length; i++) a[i] = scale * random.gauss();
    return b;
  };
  const o = {
    x: filled(n * dIn), panels: block(panelsLength(n, dIn)), w1: filled(dIn * H), w2: filled(H * dOut), y: filled(n * dOut),
    h: filled(n * H), hRelu: block(n * H), yPred: filled(n * dOut), gradYPred: filled(n * dOut),
    gradH: filled(n * H), gradW1: block(dIn * H), gradW2: block(H * dOut), w: filled(dIn * H + H * dOut), g: filled(dIn * H + H * dOut),
  };
  kernels.pack_panels(o.panels, o.x, n, dIn);
  kernels.relu_forward(o.hRelu, o.h, n * H);
  return { kernels, o };
}

/** The kernels of one step: what each computes, its work (flop or bytes), and how to run it. */
function kernelList(dtype) {
  const { n, dIn, hidden: H, dOut } = SEED;
  const S = dtype === "f64" ? 8 : 4;
  const gemm = (name, m, k, nn, run) => ({ name, kind: "product", work: 2 * m * k * nn, k, run });
  const elementwise = (name, bytes, run) => ({ name, kind: "elementwise", work: bytes, run });
  return [
    gemm(`h = x·w1 (gemm_pn ${n}×${dIn}×${H})`, n, dIn, H, (K, o) => { K.gemm_pn(o.h, o.panels, o.w1, n, dIn, H); return o.h; }),
    gemm(`grad_w1 = xᵀ·grad_h (gemm_tn ${dIn}×${n}×${H})`, dIn, n, H, (K, o) => { K.gemm_tn(o.gradW1, o.x, o.gradH, dIn, n, H); return o.gradW1; }),
    gemm(`y_pred = h_relu·w2 (gemm_nn ${n}×${H}×${dOut})`, n, H, dOut, (K, o) => { K.gemm_nn(o.yPred, o.hRelu, o.w2, n, H, dOut); return o.yPred; }),
    gemm(`grad_w2 = h_reluᵀ·grad_y_pred (gemm_tn ${H}×${n}×${dOut})`, H, n, dOut, (K, o) => { K.gemm_tn(o.gradW2, o.hRelu, o.gradYPred, H, n, dOut); return o.gradW2; }),
    gemm(`grad_h_relu = grad_y_pred·w2ᵀ (gemm_nt ${n}×${dOut}×${H})`, n, dOut, H, (K, o) => { K.gemm_nt(o.gradH, o.gradYPred, o.w2, n, dOut, H); return o.gradH; }),
    elementwise(`relu_forward (${n * H})`, 2 * n * H * S, (K, o) => { K.relu_forward(o.hRelu, o.h, n * H); return o.hRelu; }),
    elementwise(`relu_backward (${n * H})`, 3 * n * H * S, (K, o) => { K.relu_backward(o.gradH, o.h, n * H); return o.gradH; }),
    elementwise(`sse_loss_grad (${n * dOut})`, 3 * n * dOut * S, (K, o) => { K.sse_loss_grad(o.gradYPred, o.yPred, o.y, n * dOut); return o.gradYPred; }),
    elementwise(`sgd ([w1 | w2], ${dIn * H + H * dOut})`, 3 * (dIn * H + H * dOut) * S, (K, o) => { K.sgd(o.w, o.g, 1e-6, dIn * H + H * dOut); return o.w; }),
  ];
}

async function kernelSuite(dtype) {
  const list = kernelList(dtype);
  const variants = [];
  for (const variant of KERNEL_VARIANTS) variants.push({ ...variant, ...(await operands(dtype, variant)) });
  // Check first: every variant's output of every kernel against the TypeScript backend's, from equal inputs.
  const tolerance = dtype === "f64" ? 1e-12 : 1e-4;
  const reference = variants.find((v) => v.build === null);
  for (const kernel of list) {
    const want = Float64Array.from(kernel.run(reference.kernels, reference.o).array);
    const scale = Math.max(...want.map(Math.abs), 1e-300);
    for (const v of variants) {
      if (v.build === null || (v.productsOnly && kernel.kind !== "product")) continue;
      const got = kernel.run(v.kernels, v.o).array;
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / scale);
      if (!(worst <= tolerance)) fail(`${dtype} ${kernel.name} on ${v.name} differs from TypeScript by ${worst} (relative to the largest value)`);
    }
  }
  const bench = new Bench({ time: quick ? 60 : 250, warmupTime: quick ? 20 : 60, iterations: 8 });
  for (const kernel of list) {
    for (const v of variants) {
      if (v.productsOnly && kernel.kind !== "product") continue;
      bench.add(`${kernel.name}|${v.name}`, () => { kernel.run(v.kernels, v.o); });
    }
  }
  await bench.run();
  const seconds = new Map(bench.tasks.map((t) => [t.name, t.result.latency.p50 / 1000]));
  const rows = [];
  const results = [];
  for (const kernel of list) {
    const js = seconds.get(`${kernel.name}|TypeScript`);
    const row = [kernel.name];
    for (const v of KERNEL_VARIANTS) {
      const s = seconds.get(`${kernel.name}|${v.name}`);
      if (s === undefined) {
        row.push("", "");
        continue;
      }
      const rate = kernel.work / s / 1e9;
      row.push(`${fmt(s * 1e6, s < 1e-5 ? 2 : 1)} µs ${fmt(rate)}`, v.build === null ? "1×" : `${fmt(js / s)}×`);
      results.push({ dtype, kernel: kernel.name, variant: v.name, microseconds: s * 1e6, [kernel.kind === "product" ? "gflops" : "gbytesPerSecond"]: rate, speedupOverTypeScript: js / s });
    }
    rows.push(row);
  }
  const headers = ["kernel (median time, GFLOP/s or GB/s)"];
  for (const v of KERNEL_VARIANTS) headers.push(v.name, "vs TS");
  console.log(`\nKernels, ${dtype} (GFLOP/s for the products, GB/s read + written for the element-wise kernels):\n`);
  console.log(table(headers, rows));
  return results;
}

// ---------------------------------------------------------------------------------------------
// 2. The whole seed run
// ---------------------------------------------------------------------------------------------

function checkLosses(label, losses, dtype) {
  // float64 runs follow numpy's within 1e-9 (the tests' bound); float32 ones while the loss is large.
  const [count, rel] = dtype === "f64" ? [losses.length, 1e-9] : [Math.min(losses.length, 300), 1e-3];
  for (let t = 0; t < count; t++) {
    const error = Math.abs(losses[t] - numpyLosses[t]) / numpyLosses[t];
    if (!(error <= rel)) fail(`${label}: loss ${t} is ${losses[t]}, numpy's ${numpyLosses[t]} (relative error ${error} > ${rel})`);
  }
}

const RUN_CONFIGS = [];
for (const dtype of ["f64", "f32"]) {
  for (const threads of [1, 2]) {
    for (const fma of [false, true]) RUN_CONFIGS.push({ label: `wasm ${dtype} ${fma ? "FMA" : "SIMD"}, ${threads} thread${threads > 1 ? "s" : ""}`, dtype, threads, fma, backend: "wasm", simd: "auto" });
  }
}
RUN_CONFIGS.push({ label: "wasm f64 scalar, 1 thread", dtype: "f64", threads: 1, fma: false, backend: "wasm", simd: false });
RUN_CONFIGS.push({ label: "TypeScript backend f64", dtype: "f64", threads: 1, fma: false, backend: "js", simd: "auto", slow: true });
RUN_CONFIGS.push({ label: "TypeScript backend f32", dtype: "f32", threads: 1, fma: false, backend: "js", simd: "auto", slow: true });

async function runSuite() {
  const results = [];
  // Create and check every configuration first, then time them in rounds, one run of each per round,
  // so that a busy moment of the machine (ours is shared) hits them all alike; report the best and
  // the median of the rounds. The slow ones (TypeScript) run once, in the last round.
  const entries = [];
  for (const c of RUN_CONFIGS) {
    const net = await TwoLayerNet.create({ dtype: c.dtype, threads: c.threads, fma: c.fma, backend: c.backend, simd: c.simd });
    if (net.threadsUsed !== c.threads || net.fmaUsed !== c.fma) fail(`${c.label}: ran with ${net.threadsUsed} threads, fma ${net.fmaUsed} (${net.fallbacks.join("; ")})`);
    const w1 = Float64Array.from(net.w1);
    const w2 = Float64Array.from(net.w2);
    const reset = () => {
      net.w1.set(w1);
      net.w2.set(w2);
    };
    // Check first: a run against numpy, from the seed's weights (a short one for the slow backends).
    checkLosses(c.label, (await net.train({ iterations: c.slow ? 10 : 500 })).losses, c.dtype);
    if (!c.slow) await net.train({ iterations: 500 }); // warm-up
    entries.push({ c, net, reset, seconds: [] });
  }
  const rounds = quick ? 2 : 7;
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: 0, iterations: 1, warmup: false });
    for (const e of entries) {
      if (e.c.slow && round < rounds - 1) continue;
      bench.add(e.c.label, async () => {
        const result = await e.net.train({ iterations: 500 });
        checkLosses(e.c.label, result.losses, e.c.dtype);
        e.seconds.push(result.seconds); // the loop's own time, as train() reports it
      }, { beforeEach: e.reset });
    }
    await bench.run();
    process.stderr.write(`bench: round ${round + 1} of ${rounds}\n`);
  }
  for (const { c, net, seconds } of entries) {
    net.dispose();
    results.push({ ...c, seconds, best: Math.min(...seconds), median: median(seconds) });
  }
  // The textbook JavaScript: one run, checked against numpy.
  {
    const label = "textbook JavaScript f64";
    checkLosses(label, textbookTrain(textbookData(), 10), "f64");
    const bench = new Bench({ time: 0, iterations: 1, warmup: false });
    let losses;
    bench.add(label, () => { losses = textbookTrain(textbookData(), 500); });
    // The data's creation is in the timed call; it takes about 1% of it (measured apart below).
    await bench.run();
    const start = performance.now();
    textbookData();
    const dataSeconds = (performance.now() - start) / 1000;
    checkLosses(label, losses, "f64");
    const s = bench.tasks[0].result.latency.mean / 1000 - dataSeconds;
    results.push({ label, dtype: "f64", threads: 1, fma: false, backend: "textbook", seconds: [s], best: s, median: s });
    process.stderr.write(`bench: ${label}: ${fmt(s, 3)} s\n`);
  }
  return results;
}

function numpySuite() {
  const python = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" });
  if (python.error || python.status !== 0) {
    console.log("\nnumpy: skipped (python3 with numpy is not available here)");
    return null;
  }
  const results = [];
  let info;
  // OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, if set (this team's machines set them for old OpenBLAS
  // builds), force a slower kernel: we unset them for these commands only, and report which kernel
  // ran. Where they are set we also time numpy as the environment has it, for reference.
  const forced = process.env.OPENBLAS_CORETYPE !== undefined || process.env.OPENBLAS_L2_SIZE !== undefined;
  for (const [threads, dtypes, keepEnv] of [[1, ["f64", "f32"], false], [2, ["f64"], false], ...(forced ? [[1, ["f64"], true]] : [])]) {
    const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads) };
    if (!keepEnv) {
      delete env.OPENBLAS_CORETYPE;
      delete env.OPENBLAS_L2_SIZE;
    }
    const out = spawnSync("python3", [here("numpy_twolayer.py"), quick ? "2" : "5", ...dtypes], { encoding: "utf8", env });
    if (out.status !== 0) fail(`numpy_twolayer.py failed: ${out.stderr}`);
    const parsed = JSON.parse(out.stdout);
    if (!keepEnv) info = parsed;
    for (const dtype of dtypes) {
      const run = parsed.runs[dtype];
      const label = `numpy ${dtype}, ${threads} thread${threads > 1 ? "s" : ""} (OpenBLAS ${parsed.blas?.kernel ?? "?"}${keepEnv ? ", as OPENBLAS_CORETYPE here forces" : ""})`;
      checkLosses(label, run.losses, dtype);
      const seconds = run.seconds.slice(1); // the first run warms up
      results.push({ label, dtype, threads, fma: false, backend: keepEnv ? "numpy (environment's kernel)" : "numpy", seconds, best: Math.min(...seconds), median: median(seconds), blas: parsed.blas });
      process.stderr.write(`bench: ${label}: ${fmt(Math.min(...seconds), 3)} s\n`);
    }
  }
  return { python: info.python, numpy: info.numpy, blas: info.blas, results };
}

// ---------------------------------------------------------------------------------------------
// 3. Calling overhead
// ---------------------------------------------------------------------------------------------

async function overheadSuite() {
  const rows = [];
  for (const options of [{}, { backend: "js" }]) {
    const net = await TwoLayerNet.create({ n: 1, dIn: 1, hidden: 1, dOut: 1, ...options });
    const bench = new Bench({ time: quick ? 50 : 300, warmupTime: 50 });
    bench.add("step", () => { net.step(1e-3); });
    await bench.run();
    rows.push({ network: "1×1×1×1", backend: net.backend, microseconds: bench.tasks[0].result.latency.p50 * 1000 });
    net.dispose();
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------

console.log(`twolayer benchmark: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node} (V8 ${machine.v8}), ${machine.platform}`);
const kernels = [...(await kernelSuite("f64")), ...(await kernelSuite("f32"))];
const overhead = await overheadSuite();
const runs = await runSuite();
const numpy = withNumpy ? numpySuite() : null;
if (!withNumpy) console.log("\nnumpy: not timed (npm run bench:numpy times it too, where python3 with numpy exists)");

const all = [...runs, ...(numpy?.results ?? [])];
const textbook = runs.find((r) => r.backend === "textbook");
const numpy1 = numpy?.results.find((r) => r.backend === "numpy" && r.dtype === "f64" && r.threads === 1);
const tsBackend = (dtype) => runs.find((r) => r.backend === "js" && r.dtype === dtype);
const runRows = all.map((r) => [
  r.label,
  fmt(r.best, 3),
  fmt(r.median, 3),
  fmt(FLOPS_PER_RUN / r.best / 1e9),
  `${fmt(textbook.best / r.best)}×`,
  `${fmt(tsBackend(r.dtype).best / r.best)}×`,
  numpy1 ? `${fmt(r.best / numpy1.best, 2)}` : "-",
]);
console.log(`\nThe whole seed run (500 iterations, N=64, D_in=1000, H=100, D_out=10; the loop only), best and median of the runs:\n`);
console.log(table(["run", "best s", "median s", "GFLOP/s", "faster than textbook", "faster than TS backend (same dtype)", "time / numpy f64 1 thread"], runRows));
console.log(`\nOne step of a 1×1×1×1 network (calling overhead): ${overhead.map((o) => `${o.backend} ${fmt(o.microseconds, 2)} µs`).join(", ")}`);
if (numpy) console.log(`\nnumpy ${numpy.numpy} (Python ${numpy.python}), ${numpy.blas ? `${numpy.blas.library}, kernel ${numpy.blas.kernel}` : "BLAS unknown"}`);

// Issue 3's targets, as this run measured them.
const find = (label) => all.find((r) => r.label === label);
const f64one = find("wasm f64 SIMD, 1 thread");
const f64two = find("wasm f64 SIMD, 2 threads");
const f32fmaTwo = find("wasm f32 FMA, 2 threads");
const stepMicroseconds = overhead.find((o) => o.backend === "wasm-simd").microseconds;
const targets = [
  ["one thread f64 faster than textbook JavaScript", textbook.best / f64one.best, "≥ 15×"],
  ...(numpy1
    ? [
        ["one thread f64 time / numpy f64 one thread", f64one.best / numpy1.best, "≤ 1.8"],
        ["two threads f64 time / numpy f64 one thread", f64two.best / numpy1.best, "< 1"],
        ["numpy f64 one thread time / two threads f32 FMA", numpy1.best / f32fmaTwo.best, "≥ 2×"],
      ]
    : []),
  ["1×1×1×1 step, µs", stepMicroseconds, "< 5"],
];
const met = (value, goal) => {
  const bound = Number(goal.replace(/[^\d.]/g, ""));
  return goal.startsWith("≥") ? value >= bound : goal.startsWith("≤") ? value <= bound : value < bound;
};
console.log(`\nIssue 3's targets in this run:\n`);
console.log(table(["target", "measured", "goal", "met"], targets.map(([name, value, goal]) => [name, fmt(value, 2), goal, met(value, goal) ? "yes" : "no"])));

const results = {
  machine,
  targets: targets.map(([name, value, goal]) => ({ name, value, goal, met: met(value, goal) })),
  numpy: numpy ? { python: numpy.python, numpy: numpy.numpy, blas: numpy.blas } : null,
  kernels,
  runs: all.map(({ slow, simd, ...r }) => ({ ...r, gflops: FLOPS_PER_RUN / r.best / 1e9 })),
  overhead,
};
writeFileSync(here("results.json"), JSON.stringify(results, null, 2) + "\n");
console.log("\nwrote bench/results.json");
