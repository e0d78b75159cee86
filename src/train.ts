import type { TrainResult } from "./loop.js";
import { openNetwork, trainNetwork } from "./net.js";
import { trainOptions, type TrainOptions } from "./options.js";

/**
 * Trains the tutorial's network: creates it (numpy's data for `seed`), runs `iterations` SGD steps,
 * returns the losses and frees the network. Every option defaults to the tutorial's value.
 */
export async function train(options?: TrainOptions): Promise<TrainResult> {
  const { net: netOptions, loop } = trainOptions(options);
  const net = await openNetwork(netOptions);
  try {
    return await trainNetwork(net, loop);
  } finally {
    net.dispose();
  }
}
