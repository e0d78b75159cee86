// The loop body of the numpy program, as the kernels run it: each entry is one kernel call and the
// numpy lines it computes, top to bottom as the tutorial writes them. TwoLayerNet's forwardBackward
// and update run these entries in order; a line-by-line stepper (the demo) runs them one at a time,
// so what a learner steps through is exactly what training runs.
import type { Kernels } from "./kernels.js";
import type { NetBlocks } from "./layout.js";

/** The sizes a kernel call needs: batch N, input D_in, hidden H, output D_out. */
export interface ProgramSizes {
  readonly n: number;
  readonly dIn: number;
  readonly hidden: number;
  readonly dOut: number;
}

/** A matrix of the program, by its numpy name. */
export type ProgramMatrix =
  | "x" | "y" | "w1" | "w2" | "h" | "h_relu" | "y_pred" | "grad_y_pred" | "grad_w2" | "grad_h_relu" | "grad_h" | "grad_w1";

/** One kernel call of the loop body. */
export interface ProgramLine {
  /** The numpy lines it computes (the loss and grad_y_pred are one kernel; so are grad_h's copy and mask). */
  readonly numpy: readonly string[];
  /** The matrix it writes. */
  readonly writes: ProgramMatrix;
  /** Runs it on a network's blocks; the loss line returns the loss. */
  run(k: Kernels, b: NetBlocks, s: ProgramSizes): number | void;
}

/** Forward and backward pass: the loss, and grad_w1, grad_w2. x must be packed in b.xPanels. */
export const FORWARD_BACKWARD: readonly ProgramLine[] = [
  { numpy: ["h = x.dot(w1)"], writes: "h", run: (k, b, { n, dIn, hidden }) => k.gemm_pn(b.h, b.xPanels, b.w1, n, dIn, hidden) },
  { numpy: ["h_relu = np.maximum(h, 0)"], writes: "h_relu", run: (k, b, { n, hidden }) => k.relu_forward(b.hRelu, b.h, n * hidden) },
  { numpy: ["y_pred = h_relu.dot(w2)"], writes: "y_pred", run: (k, b, { n, hidden, dOut }) => k.gemm_nn(b.yPred, b.hRelu, b.w2, n, hidden, dOut) },
  {
    numpy: ["loss = np.square(y_pred - y).sum()", "grad_y_pred = 2.0 * (y_pred - y)"],
    writes: "grad_y_pred",
    run: (k, b, { n, dOut }) => k.sse_loss_grad(b.gradYPred, b.yPred, b.y, n * dOut),
  },
  { numpy: ["grad_w2 = h_relu.T.dot(grad_y_pred)"], writes: "grad_w2", run: (k, b, { n, hidden, dOut }) => k.gemm_tn(b.gradW2, b.hRelu, b.gradYPred, hidden, n, dOut) },
  { numpy: ["grad_h_relu = grad_y_pred.dot(w2.T)"], writes: "grad_h_relu", run: (k, b, { n, hidden, dOut }) => k.gemm_nt(b.gradH, b.gradYPred, b.w2, n, dOut, hidden) },
  { numpy: ["grad_h = grad_h_relu.copy()", "grad_h[h < 0] = 0"], writes: "grad_h", run: (k, b, { n, hidden }) => k.relu_backward(b.gradH, b.h, n * hidden) },
  { numpy: ["grad_w1 = x.T.dot(grad_h)"], writes: "grad_w1", run: (k, b, { n, dIn, hidden }) => k.gemm_tn(b.gradW1, b.x, b.gradH, dIn, n, hidden) },
];

/** The update, in place (`lr` as the network's dtype rounds it in the kernel). */
export const UPDATE: readonly (Omit<ProgramLine, "run"> & { run(k: Kernels, b: NetBlocks, s: ProgramSizes, lr: number): void })[] = [
  { numpy: ["w1 -= learning_rate * grad_w1"], writes: "w1", run: (k, b, { dIn, hidden }, lr) => k.sgd(b.w1, b.gradW1, lr, dIn * hidden) },
  { numpy: ["w2 -= learning_rate * grad_w2"], writes: "w2", run: (k, b, { hidden, dOut }, lr) => k.sgd(b.w2, b.gradW2, lr, hidden * dOut) },
];

/** One line of PROGRAM: the numpy lines a kernel call computes and the matrix it writes. */
export interface ProgramStep {
  readonly numpy: readonly string[];
  readonly writes: ProgramMatrix;
}

/**
 * The whole loop body, forward-backward then update, as text: what `net.runLine(i)` runs as entry i
 * (`net.nextLine` is the entry it runs next). Made from the entries above, so it is what training runs.
 */
export const PROGRAM: readonly ProgramStep[] = Object.freeze(
  [...FORWARD_BACKWARD, ...UPDATE].map(({ numpy, writes }) => Object.freeze({ numpy: Object.freeze([...numpy]), writes })),
);
