// What opening a network does before and after the TwoLayerNet class takes over (net.ts's
// openNetwork): reserving its compute and arena from checked options, leaving nothing behind on a
// failure, and filling x, y, w1, w2 with numpy's draws for the seed and the caller's arrays. It does
// not import net.ts, so that the two do not import each other.
import { openCompute, type Compute } from "./compute.js";
import { netBytes, type NetBlocks } from "./layout.js";
import { Arena, MAX_ARENA_BYTES, tooLarge } from "./memory.js";
import { NumpyRandomState } from "./numpy/random-state.js";
import { algorithmFor, type CheckedNet, type NetConfig } from "./options.js";

/**
 * A network's compute (kernels, memory, threads) and arena for checked options, or, on any failure,
 * nothing reserved. `guarded` (tests) puts guard bytes around every block.
 */
export async function reserveNetwork(config: NetConfig, guarded: boolean): Promise<{ compute: Compute; arena: Arena }> {
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
  return { compute, arena };
}

/** numpy's data for the seed, then the caller's arrays over it, into a network's blocks. */
export function drawData(blocks: NetBlocks, { config, arrays }: CheckedNet): void {
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
}
