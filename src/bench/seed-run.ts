// A contender made ready to time: created, run once and checked against numpy's losses (so nothing
// is timed that computes the wrong thing, and V8 has run the code once before the clock starts),
// with a reset that puts the seed weights back before each timed run.
import type { TwoLayerNet } from "../net.js";
import { dtypeOf, labelOf, type Contender } from "./contenders.js";
import { NUMPY_SEED_LOSSES } from "./numpy-losses.js";
import { rowStreamingData, rowStreamingTrain } from "./row-streaming.js";

/** The tutorial's network: N=64, D_in=1000, H=100, D_out=10, lr 1e-6. */
export const SEED_SIZES = { n: 64, dIn: 1000, hidden: 100, dOut: 10 } as const;
export const SEED_LEARNING_RATE = 1e-6;

/** How a seed run is made: TwoLayerNet.create, from whichever entry of the package the caller uses. */
export type Create = (options: Record<string, unknown>) => Promise<TwoLayerNet>;

/** A contender ready to run: `run` trains from the seed weights (after `reset`) and returns the losses. */
export interface SeedRun {
  readonly label: string;
  readonly contender: Contender;
  run(): Promise<Float64Array> | Float64Array;
  reset(): void;
  dispose(): void;
}

/** A run's losses differ from numpy's: the message names the run, the iteration and both values. */
export class LossMismatch extends Error {}

/**
 * Checks losses against numpy's seed run: float64 runs every loss within 1e-9 relative (the tests'
 * bound); float32 ones the first 300 within 1e-3 (float32 follows numpy's float64 while the loss is
 * large, then flattens near 2.4e-4).
 */
export function checkLosses(label: string, losses: ArrayLike<number>, dtype: "f64" | "f32", numpy: readonly number[] = NUMPY_SEED_LOSSES): void {
  const [count, rel] = dtype === "f64" ? [losses.length, 1e-9] : [Math.min(losses.length, 300), 1e-3];
  if (losses.length > numpy.length) throw new LossMismatch(`${label}: ${losses.length} losses, but numpy's run has ${numpy.length}`);
  for (let t = 0; t < count; t++) {
    const error = Math.abs(losses[t] - numpy[t]) / numpy[t];
    if (!(error <= rel)) throw new LossMismatch(`${label}: loss ${t} is ${losses[t]}, numpy's is ${numpy[t]} (relative error ${error} > ${rel})`);
  }
}

/** Why a network would not run as asked here (threads or FMA unavailable), or undefined. */
function notAsAsked(net: TwoLayerNet, threads: number, fma: boolean): string | undefined {
  if (net.threadsUsed === threads && net.fmaUsed === fma) return undefined;
  return net.fallbacks.join("; ") || `ran with ${net.threadsUsed} thread(s), fma ${net.fmaUsed}`;
}

/**
 * Makes `contender` ready and checks one run of `iterations` against numpy. Resolves to the run, or
 * to `{ skipped }` saying why this runtime cannot run it as asked (no threads, no relaxed SIMD).
 */
export async function prepareSeedRun(contender: Contender, iterations: number, create: Create): Promise<SeedRun | { skipped: string }> {
  const label = labelOf(contender);
  const dtype = dtypeOf(contender);
  let run: SeedRun;
  if ("start" in contender) {
    const program = contender.start(iterations);
    run = { label, contender, run: () => program.run(), reset: () => program.reset(), dispose: () => {} };
  } else if ("baseline" in contender) {
    const data = rowStreamingData(SEED_SIZES, dtype);
    const w1 = data.w1.slice();
    const w2 = data.w2.slice();
    run = {
      label,
      contender,
      run: () => rowStreamingTrain(data, SEED_SIZES, iterations, SEED_LEARNING_RATE),
      reset: () => {
        data.w1.set(w1);
        data.w2.set(w2);
      },
      dispose: () => {},
    };
  } else {
    const o = contender.options;
    const net = await create({ ...SEED_SIZES, ...o });
    const why = notAsAsked(net, o.threads ?? 1, o.fma ?? false);
    if (why !== undefined) {
      net.dispose();
      return { skipped: why };
    }
    const w1 = Float64Array.from(net.w1);
    const w2 = Float64Array.from(net.w2);
    run = {
      label,
      contender,
      run: async () => (await net.train({ iterations, learningRate: SEED_LEARNING_RATE })).losses,
      reset: () => {
        net.w1.set(w1);
        net.w2.set(w2);
      },
      dispose: () => net.dispose(),
    };
  }
  try {
    run.reset();
    checkLosses(label, await run.run(), dtype);
  } catch (error) {
    run.dispose();
    throw error;
  }
  return run;
}
