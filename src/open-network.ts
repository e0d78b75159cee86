// Opening a network from checked options (its compute, arena and numpy's data), training it, and the
// tests' guard check: the functions around the TwoLayerNet class, which reach its private parts
// through net.ts's construct and internals.
import { openCompute } from "./compute.js";
import { disposedError } from "./errors.js";
import { netBytes } from "./layout.js";
import { runLoop, type TrainResult } from "./loop.js";
import { Arena, MAX_ARENA_BYTES, tooLarge } from "./memory.js";
import { construct, internals, stepFlops, type TwoLayerNet } from "./net.js";
import { NumpyRandomState } from "./numpy/random-state.js";
import { algorithmFor, type CheckedLoop, type CheckedNet } from "./options.js";

/**
 * A network from checked options: its compute (kernels, memory, threads), its arena, numpy's data
 * for the seed, then the caller's arrays over it. `guarded` (tests) puts guard bytes around every
 * block, checked by `checkGuards`.
 */
export async function openNetwork({ config, arrays }: CheckedNet, guarded = false): Promise<TwoLayerNet> {
  const bytes = netBytes(config, config.dtype, algorithmFor(config), guarded);
  if (bytes > MAX_ARENA_BYTES) throw tooLarge(bytes); // before loading or reserving anything
  const compute = await openCompute(config);
  let arena: Arena | undefined;
  try {
    arena = new Arena(compute.space, config.dtype, bytes, guarded);
    compute.kernels.prepare_pn(config.n, config.hidden);
  } catch (error) {
    arena?.dispose();
    compute.dispose();
    throw error;
  }
  const net = construct(config, compute, arena);
  const { blocks } = internals(net);
  // numpy draws x, y, w1, w2 in that order: a given array's draws still happen (so the ones after
  // it are numpy's), except after the last array that is drawn, where nothing needs them.
  const order = ["x", "y", "w1", "w2"] as const;
  let drawn = order.length;
  while (drawn > 0 && arrays[order[drawn - 1]] !== undefined) drawn--;
  const random = new NumpyRandomState(config.seed);
  for (const name of order.slice(0, drawn)) random.fillRandn(blocks[name].array);
  for (const name of order) {
    const given = arrays[name];
    if (given !== undefined) blocks[name].array.set(given);
  }
  return net;
}

/** Trains `net` with checked loop options (`train` and `net.train`). */
export function trainNetwork(net: TwoLayerNet, loop: CheckedLoop): Promise<TrainResult> {
  if (net.disposed) return Promise.reject(disposedError());
  const { config, update } = internals(net);
  const keepFinite = loop.config.onNonFinite === "stop";
  return runLoop(net, { ...config, ...loop.config }, loop, stepFlops(net, net.algorithmUsed), (lr) => update(lr, keepFinite));
}

/** Throws if a kernel wrote outside its block (networks opened with `guarded`). */
export function checkGuards(net: TwoLayerNet): void {
  internals(net).arena.checkGuards();
}
