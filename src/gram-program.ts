// The Gram form of the same loop, as the kernels run it (program.ts is the program as written). x
// never changes during full-batch training, so after w1 -= lr·xᵀ·grad_h the next pass's h = x·w1 is
// h − lr·(x·xᵀ)·grad_h: with K = x·xᵀ computed once, each step costs N²·H multiply-adds instead of
// 2·N·D_in·H for the two big products, and w1 = w1₀ − xᵀ·S (S the running sum of lr·grad_h) is
// computed only when something reads it. Each entry is one kernel call and the numpy lines it
// computes; src/gram.ts runs them, and a stepper (the demo) can run them one at a time.
import type { GramBlocks, NetBlocks } from "./layout.js";
import type { NetKernels } from "./kernels.js";
import { FORWARD_BACKWARD, UPDATE, type ProgramMatrix, type ProgramSizes } from "./program.js";

/** A matrix of the Gram form, by its name in the numpy lines. */
export type GramMatrix = ProgramMatrix | "K" | "S" | "w1_0" | "h_next";

/**
 * One kernel call of the Gram form; the update's take the learning rate. The loss line returns the
 * loss, the h update the index of the first non-finite element of the next h (or −1).
 */
export interface GramLine {
  readonly numpy: readonly string[];
  readonly writes: GramMatrix;
  run(k: NetKernels, b: NetBlocks & GramBlocks, s: ProgramSizes, lr: number): number | void;
}

/** Once, and again whenever x or w1 is written (a re-base): K, w1₀, S and the next pass's h. */
export const GRAM_BASE: readonly GramLine[] = [
  { numpy: ["K = x.dot(x.T)"], writes: "K", run: (k, b, { n, dIn }) => k.gemm_nt(b.k, b.xUsed, b.xUsed, n, dIn, n) },
  { numpy: ["(K packed in 4-row panels for the update's product)"], writes: "K", run: (k, b, { n }) => k.pack_panels(b.kPanels, b.k, n, n) },
  { numpy: ["w1_0 = w1.copy()"], writes: "w1_0", run: (_, b) => b.w1Base.array.set(b.w1.array) },
  { numpy: ["S = np.zeros((N, H))"], writes: "S", run: (_, b) => void b.s.array.fill(0) },
  { numpy: ["h_next = x.dot(w1_0)"], writes: "h_next", run: (k, b, { n, dIn, hidden }) => k.gemm_nn(b.hNext, b.xUsed, b.w1Base, n, dIn, hidden) },
];

const programLine = (writes: ProgramMatrix) => FORWARD_BACKWARD.find((line) => line.writes === writes)!;

// Forward and backward pass: the loss, grad_w2 and grad_h (grad_w1 = x.T.dot(grad_h) is computed
// when read, GRAM_READ). h is the one the last update carried, copied as its ReLU is taken (one pass
// over it); the rest is the program's own lines, but for grad_h's three, which are one kernel here
// (the ReLU mask applied as the product is stored).
// Every line but the loss's is a sum over one hidden unit's column of h (or row of w2), so threads
// can run them each on their own hidden units (threads/gram-parts.ts): hence the three groups.

/** The pass up to y_pred. */
export const GRAM_FORWARD: readonly GramLine[] = [
  {
    numpy: ["h = h_next  # = x.dot(w1), carried by the update", "h_relu = np.maximum(h, 0)"],
    writes: "h_relu",
    run: (k, b, { n, hidden }) => k.copy_relu_forward(b.h, b.hRelu, b.hNext, n * hidden),
  },
  programLine("y_pred"),
];

/** The loss and grad_y_pred, over the whole of y_pred. */
export const GRAM_LOSS: GramLine = programLine("grad_y_pred");

/** grad_w2 and grad_h. */
export const GRAM_BACKWARD: readonly GramLine[] = [
  programLine("grad_w2"),
  {
    numpy: ["grad_h_relu = grad_y_pred.dot(w2.T)", "grad_h = grad_h_relu.copy()", "grad_h[h < 0] = 0"],
    writes: "grad_h",
    run: (k, b, { n, hidden, dOut }) => k.gemm_nt_mask(b.gradH, b.gradYPred, b.w2, b.h, n, dOut, hidden, b.scratch),
  },
];

export const GRAM_FORWARD_BACKWARD: readonly GramLine[] = [...GRAM_FORWARD, GRAM_LOSS, ...GRAM_BACKWARD];

/**
 * What an update that must keep the weights finite checks before it changes them, in order: each
 * returns the first index that the update would make NaN or ±Infinity, or −1 (the next h is
 * checked by its own line, which returns the same).
 */
export const GRAM_UPDATE_CHECKS: readonly GramLine[] = [
  { numpy: ["(w2 - learning_rate * grad_w2 is finite)"], writes: "w2", run: (k, b, { hidden, dOut }, lr) => k.sgd_check(b.w2, b.gradW2, lr, hidden * dOut) },
  { numpy: ["(S + learning_rate * grad_h is finite)"], writes: "S", run: (k, b, { n, hidden }, lr) => k.sgd_check(b.s, b.gradH, -lr, n * hidden) },
];

/** The update: the next pass's h, S, and w2 as the program updates it. */
export const GRAM_UPDATE: readonly GramLine[] = [
  {
    numpy: ["h_next -= learning_rate * K.dot(grad_h)  # = x.dot(w1 - learning_rate * grad_w1)"],
    writes: "h_next",
    run: (k, b, { n, hidden }, lr) => k.gemm_pn_acc(b.hNext, b.kPanels, b.gradH, -lr, n, n, hidden, b.scratch),
  },
  // S − (−lr)·grad_h is S + lr·grad_h bit for bit (negating is exact), so sgd's kernel does it.
  { numpy: ["S += learning_rate * grad_h  # w1 = w1_0 - x.T.dot(S)"], writes: "S", run: (k, b, { n, hidden }, lr) => k.sgd(b.s, b.gradH, -lr, n * hidden) },
  ...UPDATE.filter((line) => line.writes === "w2"),
];

/**
 * The checked update on one thread (gram.ts) computes S's next value in the pass that checks it,
 * into a block of its own: w2's check (GRAM_UPDATE_CHECKS), this line, the h update, then, once all
 * three are finite, S and S_next swapped and w2 updated. A refused update drops S_next, so S is as
 * it was; threads check and update their parts' S with GRAM_UPDATE_CHECKS and GRAM_UPDATE.
 */
export const GRAM_S_NEXT: GramLine = {
  numpy: ["S_next = S + learning_rate * grad_h  # finite? then S = S_next"],
  writes: "S",
  run: (k, b, { n, hidden }, lr) => k.sgd_into_checked(b.sNext, b.s, b.gradH, -lr, n * hidden),
};

/** What readers of w1 and grad_w1 get (net.w1, net.gradW1, saveWeights, predict): materialized. */
export const GRAM_READ: Readonly<Record<"w1" | "grad_w1", readonly GramLine[]>> = {
  w1: [
    // w1Seen is scratch here: GramState materializes only while no w1 view is out.
    { numpy: ["xTS = x.T.dot(S)"], writes: "w1", run: (k, b, { n, dIn, hidden }) => k.gemm_tn(b.w1Seen, b.xUsed, b.s, dIn, n, hidden) },
    { numpy: ["w1 = w1_0 - xTS"], writes: "w1", run: (k, b, { dIn, hidden }) => {
      b.w1.array.set(b.w1Base.array);
      k.sgd(b.w1, b.w1Seen, 1, dIn * hidden);
    } },
  ],
  grad_w1: [{ numpy: ["grad_w1 = x.T.dot(grad_h)"], writes: "grad_w1", run: (k, b, { n, dIn, hidden }) => k.gemm_tn(b.gradW1, b.xUsed, b.gradH, dIn, n, hidden) }],
};
