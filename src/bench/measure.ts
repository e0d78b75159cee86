// Timing seed runs with tinybench: each contender is checked first (seed-run.ts), warmed up, then
// sampled until its time budget is spent and it has its minimum of samples; every timed run's losses
// are checked again after it. What comes back are tinybench's statistics, in seconds.
import { Bench } from "tinybench";
import { dtypeOf, isSlow, labelOf, type Contender } from "./contenders.js";
import { checkLosses, prepareSeedRun, type Create } from "./seed-run.js";

/** How long to time: per contender, a budget and minimum samples; plain-JS ones get their own minimum. */
export interface Timing {
  /** Time budget per contender, ms (sampling goes on until it is spent and `samples` are taken). */
  readonly time: number;
  /** Minimum timed runs per wasm contender. */
  readonly samples: number;
  /** Minimum timed runs per plain-JS contender (its runs take seconds). */
  readonly slowSamples: number;
  /** Untimed runs after the checked one, before sampling (V8 reaches full speed from the second run). */
  readonly warmup: number;
  /** Untimed runs for plain-JS contenders (the checked run is already their first). */
  readonly slowWarmup: number;
}

/** npm run bench. */
export const FULL_TIMING: Timing = { time: 5000, samples: 5, slowSamples: 3, warmup: 2, slowWarmup: 0 };
/** `twolayer bench`: 3 runs of each plain-JS contender, so a minute or two. */
export const CLI_TIMING: Timing = { time: 2500, samples: 3, slowSamples: 2, warmup: 1, slowWarmup: 0 };
/** `--quick`: a first look, few samples. */
export const QUICK_TIMING: Timing = { time: 300, samples: 2, slowSamples: 1, warmup: 1, slowWarmup: 0 };

/** One contender's result: tinybench's latency statistics in seconds, or why it did not run. */
export interface SeedRunResult {
  readonly label: string;
  readonly contender: Contender;
  readonly dtype: "f64" | "f32";
  readonly iterations: number;
  /** Why this runtime could not run it as asked (then no statistics). */
  readonly skipped?: string;
  readonly samples?: number;
  readonly mean?: number;
  readonly p50?: number;
  readonly p75?: number;
  readonly p99?: number;
  readonly min?: number;
  readonly max?: number;
  /** Relative margin of error of the mean, in percent (95%, Student's t). */
  readonly rme?: number;
}

export interface MeasureOptions {
  readonly iterations: number;
  readonly timing: Timing;
  readonly create: Create;
  /** Called as each contender starts and ends (for progress lines). */
  readonly onProgress?: (event: { label: string; done: boolean; result?: SeedRunResult; index: number; count: number }) => void;
  readonly signal?: AbortSignal;
}

/** Times every contender in order (one at a time: nothing else runs while one is timed). */
export async function measureSeedRuns(contenders: readonly Contender[], options: MeasureOptions): Promise<SeedRunResult[]> {
  const { iterations, timing, create, onProgress, signal } = options;
  const results: SeedRunResult[] = [];
  for (const [index, contender] of contenders.entries()) {
    if (signal?.aborted) break;
    const label = labelOf(contender);
    const dtype = dtypeOf(contender);
    const base = { label, contender, dtype, iterations };
    onProgress?.({ label, done: false, index, count: contenders.length });
    const prepared = await prepareSeedRun(contender, iterations, create);
    if ("skipped" in prepared) {
      const result = { ...base, skipped: prepared.skipped };
      results.push(result);
      onProgress?.({ label, done: true, result, index, count: contenders.length });
      continue;
    }
    // Each Bench listens to the signal it is given: a child of the caller's per contender keeps the
    // caller's signal at one listener however many contenders there are.
    const child = new AbortController();
    const abort = () => child.abort();
    signal?.addEventListener("abort", abort, { once: true });
    if (signal?.aborted) abort();
    const slow = isSlow(contender);
    const warmup = slow ? timing.slowWarmup : timing.warmup;
    const bench = new Bench({
      time: timing.time,
      iterations: slow ? timing.slowSamples : timing.samples,
      warmup: warmup > 0,
      warmupIterations: warmup,
      warmupTime: 0,
      throws: true,
      signal: child.signal,
    });
    let losses: Float64Array | undefined;
    bench.add(label, async () => {
      losses = await prepared.run();
    }, {
      beforeEach: () => prepared.reset(),
      afterEach: () => checkLosses(label, losses!, dtype),
    });
    try {
      await bench.run();
    } finally {
      signal?.removeEventListener("abort", abort);
      prepared.dispose();
    }
    const r = bench.tasks[0].result;
    if (r.state !== "completed") {
      if (signal?.aborted) break;
      throw new Error(`${label}: tinybench ended in state ${r.state}`);
    }
    const s = (ms: number) => ms / 1000;
    const l = r.latency;
    const result = { ...base, samples: l.samplesCount, mean: s(l.mean), p50: s(l.p50), p75: s(l.p75), p99: s(l.p99), min: s(l.min), max: s(l.max), rme: l.rme };
    results.push(result);
    onProgress?.({ label, done: true, result, index, count: contenders.length });
  }
  return results;
}
