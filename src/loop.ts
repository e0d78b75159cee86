import { pythonFloat } from "./format.js";
import type { CheckedLoop, LoopConfig, NetConfig } from "./options.js";
import type { RunInfo } from "./run-info.js";

/** What the loop needs of a network (TwoLayerNet): what runs it (the pass and update are runLoop's `pass` and `update`). */
export interface Trainable extends Readonly<RunInfo> {
  /** The first NaN or ±Infinity in x, y, w1 or w2 ("x[5] is NaN"), if any: a divergence's cause. */
  firstNonFinite(): string | undefined;
  /** The first NaN or ±Infinity in the last pass's grad_w2 or grad_w1 ("grad_w1[3] is Infinity"), if any. */
  firstNonFiniteGradient(): string | undefined;
}

/** The result of `train` and `net.train`, with what ran (RunInfo). */
export interface TrainResult extends RunInfo {
  /**
   * `"completed"`: every iteration ran. `"diverged"`: a loss was NaN or infinite, or the update would
   * have made a weight so, and training stopped before that iteration's update (see `divergence`).
   * `"aborted"`: the signal was aborted.
   */
  status: "completed" | "diverged" | "aborted";
  /** losses[t] is iteration t's loss, Σ(y_pred − y)², before its update (as the numpy program prints). One per iteration run. */
  losses: Float64Array;
  /** Wall-clock seconds of the training loop (creating the network and its data excluded). */
  seconds: number;
  /** Matrix-product throughput of the loop: flopsPerStep × iterations run / seconds / 1e9. */
  gflops: number;
  /** Every option's value as used, defaults filled in (user arrays and callbacks left out). */
  config: NetConfig & LoopConfig;
  /** With status "diverged": where, the last finite loss (null if none), and what to do. */
  divergence?: { iteration: number; lastFiniteLoss: number | null; message: string };
}

const now = (): number => (globalThis.performance ? performance.now() : Date.now());

// Lets timers and events run (an abort from a timer, a UI update) while a long run goes on.
const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** How often, in milliseconds of training, the loop yields when it has a signal to watch. */
const YIELD_EVERY_MS = 20;

/**
 * The NaN or ±Infinity already in the network's x, y, w1 or w2 and how it got there, if there is one
 * ("x[5] is NaN (allowNonFinite let it in)"): then a non-finite loss or update is not the learning
 * rate's doing.
 */
export function nonFiniteData(net: Trainable, allowNonFinite: boolean): string | undefined {
  const data = net.firstNonFinite();
  if (data === undefined) return undefined;
  const how = allowNonFinite ? "allowNonFinite let it in" : 'the network was created finite: a write through a view, or training on with onNonFinite: "continue", put it there';
  return `${data} (${how}); the learning rate is not the cause`;
}

/**
 * A gradient of the last pass that is NaN or ±Infinity already, said with what to do, if there is
 * one: the pass's products overflowed, so no learning rate makes its update finite.
 */
export function nonFiniteGradient(net: Trainable): string | undefined {
  const gradient = net.firstNonFiniteGradient();
  if (gradient === undefined) return undefined;
  return `${gradient}: x·w1 and the products after it overflow ${net.dtype === "f32" ? "float32" : "float64"} with these data and weights, whatever the learning rate; scale x, y or the weights down`;
}

/** Why the loss became non-finite, as far as we can tell, and what to do. */
function divergenceMessage(net: Trainable, t: number, loss: number, lastFiniteLoss: number | null, { learningRate, allowNonFinite }: NetConfig & LoopConfig): string {
  const became = `the loss became ${pythonFloat(loss)} at iteration ${t}`;
  const data = nonFiniteData(net, allowNonFinite);
  if (data !== undefined) return `${became}: ${data}`;
  if (t === 0 || learningRate === 0) {
    return `${became}, before any update changed the weights, so the learning rate is not the cause: the data and weights overflow ${net.dtype === "f32" ? "float32" : "float64"}; scale them down`;
  }
  return (
    `${became}${lastFiniteLoss === null ? "" : ` (last finite loss ${pythonFloat(lastFiniteLoss)})`}: ` +
    `the learning rate ${pythonFloat(learningRate)} is too large for this data; try ${pythonFloat(learningRate / 10)} or smaller`
  );
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** `losses` copied into an array twice as long (at most `iterations`). */
function grown(losses: Float64Array<ArrayBuffer>, iterations: number): Float64Array<ArrayBuffer> {
  const longer = new Float64Array(Math.min(iterations, 2 * losses.length));
  longer.set(losses);
  return longer;
}

/**
 * Trains `net` in place: the numpy program's `for t in range(iterations)`. `pass(updateFollows)` runs
 * forwardBackward and returns the loss (`updateFollows`: update() comes next with no callback in
 * between, which lets the Gram form on threads run fewer jobs); `update(lr)` applies one update, or
 * refuses it (changing nothing) with the reason it would make a weight non-finite. `running(on)` is
 * told when the loop starts and when it ends (returns or throws), so the network can refuse to be
 * stepped in between (BUSY): the end is said synchronously when the loop never awaited.
 */
export async function runLoop(
  net: Trainable,
  config: NetConfig & LoopConfig,
  { onIteration, signal }: CheckedLoop,
  flopsPerStep: number,
  pass: (updateFollows: boolean) => number,
  update: (learningRate: number) => string | undefined,
  running: (on: boolean) => void,
): Promise<TrainResult> {
  running(true);
  try {
    const { iterations, learningRate, onNonFinite } = config;
    // Grown by doubling as the run goes on, so that asking for 10⁸ iterations does not take 800 MB
    // before the first one (an aborted or diverged run may use few of them).
    let losses = new Float64Array(Math.min(iterations, 1 << 16));
    let status: TrainResult["status"] = "completed";
    let divergence: TrainResult["divergence"];
    let t = 0;
    const start = now();
    let lastYield = start;
    for (; t < iterations; t++) {
      if (signal?.aborted) {
        status = "aborted";
        break;
      }
      const loss = pass(onIteration === undefined);
      if (t === losses.length) losses = grown(losses, iterations);
      losses[t] = loss;
      const called = onIteration?.(t, loss);
      if (isThenable(called)) await called;
      if (!Number.isFinite(loss) && onNonFinite === "stop") {
        const lastFiniteLoss = t > 0 ? losses[t - 1] : null;
        status = "diverged";
        divergence = { iteration: t, lastFiniteLoss, message: divergenceMessage(net, t, loss, lastFiniteLoss, config) };
        t++;
        break;
      }
      const refused = update(learningRate);
      if (refused !== undefined) {
        status = "diverged";
        const rate = `the learning rate ${pythonFloat(learningRate)} is too large for this data; try ${pythonFloat(learningRate / 10)} or smaller`;
        const cause = nonFiniteData(net, config.allowNonFinite) ?? nonFiniteGradient(net) ?? rate;
        divergence = { iteration: t, lastFiniteLoss: loss, message: `the update at iteration ${t} would make ${refused}: ${cause}` };
        t++;
        break;
      }
      if (signal && now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = now();
      }
    }
    const seconds = (now() - start) / 1000;
    const { backend, dtype, threadsUsed, fmaUsed, algorithmUsed, fallbacks } = net;
    return {
      status,
      losses: t === losses.length ? losses : losses.slice(0, t),
      seconds,
      gflops: seconds > 0 ? (flopsPerStep * t) / seconds / 1e9 : 0,
      backend,
      dtype,
      threadsUsed,
      fmaUsed,
      algorithmUsed,
      fallbacks: [...fallbacks],
      config,
      ...(divergence ? { divergence } : {}),
    };
  } finally {
    running(false);
  }
}
