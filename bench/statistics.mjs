// Times taken outside tinybench (Python's perf_counter, or one performance.now() around a run) as
// tinybench's statistics, so that every row of npm run bench carries the same figures however it was
// timed: each time is one sample's overriddenDuration.
import { Bench } from "tinybench";
import { fail } from "./common.mjs";

/** `seconds`, one a run, as tinybench statistics, in seconds. */
export async function statistics(label, seconds) {
  let i = 0;
  const bench = new Bench({ time: 0, iterations: seconds.length, warmup: false });
  // async: false, so that tinybench does not call the function once more to find out.
  bench.add(label, () => ({ overriddenDuration: seconds[i++] * 1000 }), { async: false });
  await bench.run();
  const l = bench.tasks[0].result.latency;
  const mean = seconds.reduce((a, b) => a + b, 0) / seconds.length;
  if (i !== seconds.length || l.samplesCount !== seconds.length || Math.abs(l.mean / 1000 - mean) > 1e-9 * mean) {
    fail(`${label}: tinybench took ${l.samplesCount} samples of ${seconds.length} (mean ${l.mean / 1000} s, ${mean} s measured)`);
  }
  const s = (ms) => ms / 1000;
  return { samples: l.samplesCount, mean: s(l.mean), p50: s(l.p50), p75: s(l.p75), p99: s(l.p99), min: s(l.min), max: s(l.max), rme: l.rme };
}
