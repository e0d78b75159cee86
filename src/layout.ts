// One network's arena, laid out from one list of block sizes (as llm.c's fill_in_parameter_sizes):
// the same list sizes the arena and carves it, so the two cannot drift apart.
import { gramScratchLength, panelsLength, type Block, type DType } from "./kernels.js";
import { Arena } from "./memory.js";
import type { Algorithm } from "./run-info.js";

interface Sizes {
  n: number;
  dIn: number;
  hidden: number;
  dOut: number;
}

/**
 * Every block of a network, in the order it is carved, and its element count: the parameters
 * [w1 | w2] in one block and their gradients in a second with the same layout (so the finiteness
 * check before an update, sgd_check, is one flat loop over both), then the activations and the data,
 * and x once more packed in 4-row panels for h = x·w1.
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

/**
 * The Gram form's blocks (gram networks only, carved after the others): x as the state was built
 * from (xUsed, N×D_in), K = x·xᵀ (N×N) and its panels, S = Σ lr·grad_h (N×H), the S that a checked
 * update on one thread computes before it is accepted (sNext, N×H; then swapped with s), the next
 * pass's h (hNext, N×H), the scratch of grad_h's and the h update's kernels (gramScratchLength), w1₀
 * (w1Base, D_in×H), and w1Seen (D_in×H): what a handed-out w1 view held, to see writes through it
 * (and scratch for xᵀ·S when no view is out).
 */
function gramSizes({ n, dIn, hidden: H, dOut }: Sizes) {
  return {
    xUsed: n * dIn,
    k: n * n,
    kPanels: panelsLength(n, n),
    s: n * H,
    sNext: n * H,
    hNext: n * H,
    scratch: gramScratchLength(n, dOut, H),
    w1Base: dIn * H,
    w1Seen: dIn * H,
  };
}

export type GramBlocks = Record<keyof ReturnType<typeof gramSizes>, Block>;

/** The block sizes of a network running `algorithm`. */
function allSizes(sizes: Sizes, algorithm: Algorithm) {
  return algorithm === "gram" ? { ...blockSizes(sizes), ...gramSizes(sizes) } : blockSizes(sizes);
}

/** The network's blocks: the carved ones, and w1, w2 and their gradients as slices of params and grads. */
export type NetBlocks = Record<keyof ReturnType<typeof blockSizes> | "w1" | "w2" | "gradW1" | "gradW2", Block>;

/** The bytes an arena for a network of these sizes reserves (`guarded`: with guard bytes, for tests). */
export function netBytes(sizes: Sizes, dtype: DType, algorithm: Algorithm, guarded = false): number {
  return Arena.bytesFor(dtype, Object.values(allSizes(sizes, algorithm)), guarded);
}

function carve<L extends Record<string, number>>(arena: Arena, lengths: L): Record<keyof L, Block> {
  const blocks = {} as Record<keyof L, Block>;
  for (const name of Object.keys(lengths) as (keyof L)[]) blocks[name] = arena.block(lengths[name]);
  return blocks;
}

/** Carves a gram network's own blocks (after carveNet's, netBytes having counted them). */
export function carveGram(arena: Arena, sizes: Sizes): GramBlocks {
  return carve(arena, gramSizes(sizes));
}

/** Carves a network's blocks out of its arena (reserved with netBytes for the same sizes). */
export function carveNet(arena: Arena, sizes: Sizes): NetBlocks {
  const blocks = carve(arena, blockSizes(sizes));
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
