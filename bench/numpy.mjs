// npm run bench:numpy: the numpy program (numpy_twolayer.py), as written and in its Gram form, on one
// OpenBLAS thread and two. Python times each run with perf_counter; the times go through tinybench
// (statistics.mjs) so that numpy's rows carry the same statistics as ours. Every run's losses are
// checked against numpy's fixture first. What paired.mjs shares with it: whether numpy is here, the
// environment Python runs in, and the rows' labels.
import { spawnSync } from "node:child_process";
import { checked, fail, here, numpyLosses } from "./common.mjs";
import { statistics } from "./statistics.mjs";

/** Whether python3 with numpy runs here. */
export function numpyAvailable() {
  const python = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" });
  return !python.error && python.status === 0;
}

/**
 * The environment for numpy on `threads` OpenBLAS threads: without the environment's
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unless `keepEnv` (this team's machines set them for old
 * OpenBLAS builds; they force a slower kernel).
 */
export function numpyEnv(threads, keepEnv = false) {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads) };
  if (!keepEnv) {
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
  }
  return env;
}

/** "numpy f64, 1 thread", "numpy Gram form f64, 2 threads". */
export const numpyLabel = (form, dtype, threads) => `numpy${form === "gram" ? " Gram form" : ""} ${dtype}, ${threads} thread${threads > 1 ? "s" : ""}`;

// Each numpy_twolayer.py run: OpenBLAS threads, dtypes, the form, and whether to keep the
// environment's OPENBLAS_CORETYPE (numpyEnv: the main rows run without it, and one row shows numpy
// as the environment has it).
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
  if (!numpyAvailable()) {
    console.log("\nnumpy: skipped (python3 with numpy is not available here)");
    return null;
  }
  const forced = process.env.OPENBLAS_CORETYPE !== undefined || process.env.OPENBLAS_L2_SIZE !== undefined;
  const results = [];
  let info;
  for (const { threads, dtypes, form, keepEnv = false } of runsToMake(forced)) {
    const env = numpyEnv(threads, keepEnv);
    const repeats = quick ? "3" : "8";
    const out = spawnSync("python3", [here("numpy_twolayer.py"), ...(form === "gram" ? ["--gram"] : []), repeats, ...dtypes], { encoding: "utf8", env });
    if (out.status !== 0) fail(`numpy_twolayer.py failed: ${out.stderr}`);
    const parsed = JSON.parse(out.stdout);
    if (!keepEnv) info ??= parsed;
    for (const dtype of dtypes) {
      const run = parsed.runs[dtype];
      const kernel = parsed.blas?.kernel ?? "?";
      const label = `${numpyLabel(form, dtype, threads)}${keepEnv ? `, OpenBLAS ${kernel} as OPENBLAS_CORETYPE forces` : ""}`;
      checked(label, run.losses, dtype, numpyLosses);
      const stats = await statistics(label, run.seconds.slice(1)); // the first run warms up
      results.push({ label, dtype, iterations: 500, contender: { baseline: keepEnv ? "numpy (environment's kernel)" : "numpy", form, threads }, ...stats, blas: parsed.blas });
      process.stderr.write(`bench: ${label}: median ${stats.p50.toFixed(3)} s over ${stats.samples} runs\n`);
    }
  }
  return { python: info.python, numpy: info.numpy, blas: info.blas, results };
}
