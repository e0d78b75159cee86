import type { BackendName, DType } from "./kernels.js";
import { flopsPerStep, TwoLayerNet } from "./net.js";
import { trainConfig, type TrainConfig, type TrainOptions } from "./options.js";

export interface TrainResult {
  /** losses[t] is iteration t's loss, Σ(y_pred − y)², before its update (as the numpy program prints). */
  losses: Float64Array;
  /** Wall-clock seconds of the training loop (creating the network and its data excluded). */
  seconds: number;
  /** Matrix-product throughput of the loop: flopsPerStep × iterations / seconds / 1e9. */
  gflops: number;
  /** Which implementation ran: "wasm-simd", "wasm-scalar" or "js". */
  backend: BackendName;
  dtype: DType;
  /** Every option's value as used, defaults filled in (user arrays left out). */
  config: TrainConfig;
}

const now = (): number => (globalThis.performance ? performance.now() : Date.now());

/**
 * Trains the tutorial's network: creates it (numpy's data for `seed`), runs `iterations` SGD steps
 * and returns the losses. Every option defaults to the tutorial's value.
 */
export async function train(options?: TrainOptions): Promise<TrainResult> {
  const config = trainConfig(options);
  const net = await TwoLayerNet.build(config, options);
  try {
    const losses = new Float64Array(config.iterations);
    const onIteration = options?.onIteration;
    const start = now();
    for (let t = 0; t < config.iterations; t++) {
      losses[t] = net.step(config.learningRate);
      onIteration?.(t, losses[t]);
    }
    const seconds = (now() - start) / 1000;
    const gflops = seconds > 0 ? (flopsPerStep(config) * config.iterations) / seconds / 1e9 : 0;
    return { losses, seconds, gflops, backend: net.backend, dtype: net.dtype, config };
  } finally {
    net.dispose();
  }
}
