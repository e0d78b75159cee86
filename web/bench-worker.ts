// The bench page's worker: the seed-run comparison of twolayer/bench (wasm SIMD against the js
// backend and row-streaming JS, both dtypes), checked against numpy and timed by tinybench, off the
// page's thread. Posts each finished row, then all of them.
import { TwoLayerNet } from "twolayer";
import { CLI_TIMING, PAGE_CONTENDERS, QUICK_TIMING, measureSeedRuns, type SeedRunResult } from "twolayer/bench";

export interface BenchRequest {
  iterations: number;
  quick: boolean;
}

export type BenchMessage =
  | { type: "row"; row: SeedRunResult; index: number; count: number }
  | { type: "done"; rows: SeedRunResult[] }
  | { type: "error"; message: string };

const post = (message: BenchMessage) => (self as unknown as Worker).postMessage(message);

self.onmessage = async (event: MessageEvent<BenchRequest>) => {
  const { iterations, quick } = event.data;
  try {
    const rows = await measureSeedRuns(PAGE_CONTENDERS, {
      iterations,
      timing: quick ? QUICK_TIMING : CLI_TIMING,
      create: (options) => TwoLayerNet.create(options),
      onProgress: ({ done, result, index, count }) => {
        if (done && result) post({ type: "row", row: result, index, count });
      },
    });
    post({ type: "done", rows });
  } catch (error) {
    post({ type: "error", message: error instanceof Error ? error.message : String(error) });
  }
};
