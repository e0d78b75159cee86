// One network's arena, laid out from one list of block sizes (as llm.c's fill_in_parameter_sizes):
// the same list sizes the arena and carves it, so the two cannot drift apart.
import { panelsLength, type Block, type DType } from "./kernels.js";
import { Arena } from "./memory.js";

interface Sizes {
  n: number;
  dIn: number;
  hidden: number;
  dOut: number;
}

/**
 * Every block of a network, in the order it is carved, and its element count: the parameters
 * [w1 | w2] in one block and their gradients in a second with the same layout (so SGD is one flat
 * loop), then the activations and the data, and x once more packed in 4-row panels for h = x·w1.
 */
function blockSizes({ n, dIn, hidden: H, dOut }: Sizes) {
  return {
    params: dIn * H + H * dOut,
    grads: dIn * H + H * dOut,
    h: n * H,
    hRelu: n * H,
    gradH: n * H,
    yPred: n * dOut,
    gradYPred: n * dOut,
    x: n * dIn,
    xPanels: panelsLength(n, dIn),
    y: n * dOut,
  };
}

/** The network's blocks: the carved ones, and w1, w2 and their gradients as slices of params and grads. */
export type NetBlocks = Record<keyof ReturnType<typeof blockSizes> | "w1" | "w2" | "gradW1" | "gradW2", Block>;

/** The bytes an arena for a network of these sizes reserves (`guarded`: with guard bytes, for tests). */
export function netBytes(sizes: Sizes, dtype: DType, guarded = false): number {
  return Arena.bytesFor(dtype, Object.values(blockSizes(sizes)), guarded);
}

/** Carves a network's blocks out of its arena (reserved with netBytes for the same sizes). */
export function carveNet(arena: Arena, sizes: Sizes): NetBlocks {
  const lengths = blockSizes(sizes);
  const blocks = {} as Record<keyof typeof lengths, Block>;
  for (const name of Object.keys(lengths) as (keyof typeof lengths)[]) blocks[name] = arena.block(lengths[name]);
  const w1 = sizes.dIn * sizes.hidden;
  const w2 = sizes.hidden * sizes.dOut;
  return {
    ...blocks,
    w1: arena.slice(blocks.params, 0, w1),
    w2: arena.slice(blocks.params, w1, w2),
    gradW1: arena.slice(blocks.grads, 0, w1),
    gradW2: arena.slice(blocks.grads, w1, w2),
  };
}
