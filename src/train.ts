import type { TrainResult } from "./loop.js";
import { TwoLayerNet } from "./net.js";
import { trainConfig, type TrainOptions } from "./options.js";

/**
 * Trains the tutorial's network: creates it (numpy's data for `seed`), runs `iterations` SGD steps,
 * returns the losses and frees the network. Every option defaults to the tutorial's value.
 */
export async function train(options?: TrainOptions): Promise<TrainResult> {
  const config = trainConfig(options);
  const net = await TwoLayerNet.build(config, options);
  try {
    return await net.run(config, options);
  } finally {
    net.dispose();
  }
}
