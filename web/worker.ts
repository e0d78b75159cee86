// Trains one network off the main thread and streams its losses back in batches (at most ~30 a
// second), so the page stays responsive whatever the sizes.
import { flopsPerStep, train, TwoLayerError, type TrainOptions } from "twolayer";

export interface RunRequest {
  options: TrainOptions;
  /** Only passed on when this twolayer has a threads option and the page is cross-origin isolated. */
  threads?: number | "auto";
}

export type RunMessage =
  | { type: "started"; threadsOption: boolean }
  | { type: "progress"; from: number; losses: number[]; elapsed: number; gflops: number }
  | { type: "done"; losses: Float64Array; seconds: number; gflops: number; backend: string; threadsUsed?: number; note?: string }
  | { type: "error"; message: string; code?: string };

const post = (message: RunMessage, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);

/** Whether this build of twolayer knows the threads option (the speed work adds it). */
async function hasThreadsOption(): Promise<boolean> {
  try {
    await train({ n: 1, dIn: 1, hidden: 1, dOut: 1, iterations: 0, threads: 1 } as TrainOptions);
    return true;
  } catch (error) {
    if (error instanceof TwoLayerError && error.code === "UNKNOWN_OPTION") return false;
    return true; // it knows the option and refused something else about this tiny run
  }
}

self.onmessage = async (event: MessageEvent<RunRequest>) => {
  const { options, threads } = event.data;
  try {
    const threadsOption = await hasThreadsOption();
    post({ type: "started", threadsOption });
    const flops = flopsPerStep({ n: options.n ?? 64, dIn: options.dIn ?? 1000, hidden: options.hidden ?? 100, dOut: options.dOut ?? 10 });
    let pending: number[] = [];
    let from = 0;
    let lastPost = 0;
    const start = performance.now();
    const flush = (t: number) => {
      const elapsed = (performance.now() - start) / 1000;
      post({ type: "progress", from, losses: pending, elapsed, gflops: elapsed > 0 ? (flops * (t + 1)) / elapsed / 1e9 : 0 });
      from = t + 1;
      pending = [];
      lastPost = performance.now();
    };
    const run = { ...options, ...(threadsOption && threads !== undefined ? { threads } : {}) } as TrainOptions;
    const result = await train({
      ...run,
      onIteration(t, loss) {
        pending.push(loss);
        if (performance.now() - lastPost > 33) flush(t);
      },
    });
    if (pending.length > 0) flush(from + pending.length - 1);
    const { losses, seconds, gflops, backend } = result;
    const threadsUsed = (result as { threadsUsed?: number }).threadsUsed;
    // A NaN or infinite loss stops training early, with a hint (usually: lower the learning rate).
    const note = result.status === "diverged" ? result.divergence?.message : undefined;
    post({ type: "done", losses, seconds, gflops, backend, threadsUsed, note }, [losses.buffer]);
  } catch (error) {
    post({
      type: "error",
      message: error instanceof Error ? error.message : String(error),
      code: error instanceof TwoLayerError ? error.code : undefined,
    });
  }
};
