// npm run bench:numpy: the numpy program (numpy_twolayer.py), as written and in its Gram form, on one
// OpenBLAS thread and two. Python times each run with perf_counter; the times go through tinybench
// (as each sample's overriddenDuration) so that numpy's rows carry the same statistics as ours.
// Every run's losses are checked against numpy's fixture first.
import { spawnSync } from "node:child_process";
import { Bench } from "tinybench";
import { checkLosses } from "../dist/bench/index.js";
import { fail, here, numpyLosses } from "./common.mjs";

/** Python's run times (seconds) as tinybench statistics, in seconds. */
async function statistics(label, seconds) {
  let i = 0;
  const bench = new Bench({ time: 0, iterations: seconds.length, warmup: false });
  // async: false, so that tinybench does not call the function once more to find out.
  bench.add(label, () => ({ overriddenDuration: seconds[i++] * 1000 }), { async: false });
  await bench.run();
  const l = bench.tasks[0].result.latency;
  const mean = seconds.reduce((a, b) => a + b, 0) / seconds.length;
  if (i !== seconds.length || l.samplesCount !== seconds.length || Math.abs(l.mean / 1000 - mean) > 1e-9 * mean) {
    fail(`${label}: tinybench took ${l.samplesCount} samples of ${seconds.length} (mean ${l.mean / 1000} s, Python's ${mean} s)`);
  }
  const s = (ms) => ms / 1000;
  return { samples: l.samplesCount, mean: s(l.mean), p50: s(l.p50), p75: s(l.p75), p99: s(l.p99), min: s(l.min), max: s(l.max), rme: l.rme };
}

// Each numpy_twolayer.py run: OpenBLAS threads, dtypes, the form, and whether to keep the
// environment's OPENBLAS_CORETYPE (this team's machines set it for old OpenBLAS builds; it forces a
// slower kernel, so the main rows run without it, and one row shows numpy as the environment has it).
function runsToMake(forced) {
  return [
    { threads: 1, dtypes: ["f64", "f32"], form: "direct" },
    { threads: 2, dtypes: ["f64"], form: "direct" },
    { threads: 1, dtypes: ["f64", "f32"], form: "gram" },
    { threads: 2, dtypes: ["f64"], form: "gram" },
    ...(forced ? [{ threads: 1, dtypes: ["f64"], form: "direct", keepEnv: true }] : []),
  ];
}

export async function numpySuite({ quick = false } = {}) {
  const python = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" });
  if (python.error || python.status !== 0) {
    console.log("\nnumpy: skipped (python3 with numpy is not available here)");
    return null;
  }
  const forced = process.env.OPENBLAS_CORETYPE !== undefined || process.env.OPENBLAS_L2_SIZE !== undefined;
  const results = [];
  let info;
  for (const { threads, dtypes, form, keepEnv = false } of runsToMake(forced)) {
    const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads) };
    if (!keepEnv) {
      delete env.OPENBLAS_CORETYPE;
      delete env.OPENBLAS_L2_SIZE;
    }
    const repeats = quick ? "3" : "8";
    const out = spawnSync("python3", [here("numpy_twolayer.py"), ...(form === "gram" ? ["--gram"] : []), repeats, ...dtypes], { encoding: "utf8", env });
    if (out.status !== 0) fail(`numpy_twolayer.py failed: ${out.stderr}`);
    const parsed = JSON.parse(out.stdout);
    if (!keepEnv) info ??= parsed;
    for (const dtype of dtypes) {
      const run = parsed.runs[dtype];
      const kernel = parsed.blas?.kernel ?? "?";
      const label = `numpy${form === "gram" ? " Gram form" : ""} ${dtype}, ${threads} thread${threads > 1 ? "s" : ""}${keepEnv ? `, OpenBLAS ${kernel} as OPENBLAS_CORETYPE forces` : ""}`;
      try {
        checkLosses(label, run.losses, dtype, numpyLosses);
      } catch (error) {
        fail(error.message);
      }
      const stats = await statistics(label, run.seconds.slice(1)); // the first run warms up
      results.push({ label, dtype, iterations: 500, contender: { baseline: keepEnv ? "numpy (environment's kernel)" : "numpy", form, threads }, ...stats, blas: parsed.blas });
      process.stderr.write(`bench: ${label}: median ${stats.p50.toFixed(3)} s over ${stats.samples} runs\n`);
    }
  }
  return { python: info.python, numpy: info.numpy, blas: info.blas, results };
}
