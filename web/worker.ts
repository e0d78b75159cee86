// Trains one network off the main thread and streams its losses back in batches (at most ~30 a
// second), so the page stays responsive whatever the sizes.
import { flopsPerStep, train, TUTORIAL, TwoLayerError, type TrainOptions } from "twolayer";

export interface RunRequest {
  options: TrainOptions;
  /** Only passed on when the page is cross-origin isolated (threads need SharedArrayBuffer). */
  threads?: number | "auto";
}

export type RunMessage =
  | { type: "progress"; from: number; losses: number[]; elapsed: number; gflops: number }
  | { type: "done"; losses: Float64Array; seconds: number; gflops: number; backend: string; threadsUsed: number; note?: string }
  | { type: "error"; message: string; code?: string };

const post = (message: RunMessage, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);

self.onmessage = async (event: MessageEvent<RunRequest>) => {
  const { options, threads } = event.data;
  try {
    const { n = TUTORIAL.n, dIn = TUTORIAL.dIn, hidden = TUTORIAL.hidden, dOut = TUTORIAL.dOut } = options;
    const flops = flopsPerStep({ n, dIn, hidden, dOut });
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
    const result = await train({
      ...options,
      ...(threads !== undefined ? { threads } : {}),
      onIteration(t, loss) {
        pending.push(loss);
        if (performance.now() - lastPost > 33) flush(t);
      },
    });
    if (pending.length > 0) flush(from + pending.length - 1);
    const { losses, seconds, gflops, backend, threadsUsed } = result;
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
