// The state of a network that trains in the Gram form (gram-program.ts): h carried from step to step,
// K = x·xᵀ, S = Σ lr·grad_h and w1₀, and the rules that keep what readers see the same as the direct
// program's. w1 and grad_w1 are materialized when read (a view valid until the next update); a write
// through a w1 view handed out, or through x once x was handed out, is found by comparing with what
// the state was built from, and re-bases the state (K and h recomputed, S = 0, w1₀ = the current
// w1) before the next pass, update or read; an update whose pass ran on the x before the write
// applies that pass's grad_w1, as the direct program's does. On several threads the state and a
// pass's h, h_relu and grad_h live in the threads' parts (threads/gram-parts.ts), made whole here
// when something reads them.
import { TwoLayerError } from "./errors.js";
import { pythonFloat } from "./format.js";
import type { Block, DType, FloatArray, NetKernels } from "./kernels.js";
import type { GramBlocks, NetBlocks } from "./layout.js";
import { GRAM_BASE, GRAM_FORWARD_BACKWARD, GRAM_READ, GRAM_S_NEXT, GRAM_UPDATE, GRAM_UPDATE_CHECKS, type GramLine } from "./gram-program.js";
import { UPDATE, type ProgramSizes } from "./program.js";
import type { GramParts, GramRefusal } from "./threads/gram-parts.js";

/** What w −= lr·g makes of w[i] in this dtype (the value a refused update names). */
export function sgdResult(dtype: DType, w: FloatArray, g: FloatArray, lr: number, i: number): number {
  const round = dtype === "f32" ? Math.fround : (v: number) => v;
  return round(w[i] - round(round(lr) * g[i]));
}

function same(a: FloatArray, b: FloatArray): boolean {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** What the refused update would have made element i of `matrix`, in blocks b (a part's, on threads). */
export function refusedValue(dtype: DType, matrix: GramRefusal["matrix"], b: NetBlocks & GramBlocks, i: number, lr: number): number {
  if (matrix === "w2") return sgdResult(dtype, b.w2.array, b.gradW2.array, lr, i);
  if (matrix === "S") return sgdResult(dtype, b.s.array, b.gradH.array, -lr, i);
  return b.hNext.array[i];
}

/**
 * The error for an x the Gram form cannot train: K = x·xᵀ (in `k`, n×n) has an element that is NaN
 * or ±Infinity although x is finite, so a dot product of two of x's rows overflowed the dtype. It
 * names a row whose squared norm overflowed (|K[i][j]| ≤ max(K[i][i], K[j][j]), so there is one, up to
 * rounding). The direct program never forms K and takes such an x. undefined when K is finite, or
 * when x itself is not (allowNonFinite: its K is then what numpy's would be).
 */
export function kOverflow(k: FloatArray, x: FloatArray, n: number, dtype: DType): TwoLayerError | undefined {
  const first = k.findIndex((v) => !Number.isFinite(v));
  if (first < 0 || !x.every(Number.isFinite)) return undefined;
  const row = Array.from({ length: n }, (_, i) => i).find((i) => !Number.isFinite(k[i * n + i]));
  const at = row === undefined ? first : row * n + row;
  const [i, j] = [Math.floor(at / n), at % n];
  const type = dtype === "f32" ? "float32" : "float64";
  const what = i === j ? `the squared norm of x's row ${i}` : `the dot product of x's rows ${i} and ${j}`;
  return new TwoLayerError(
    "INVALID_ARRAY",
    `x is too large for the Gram form: K = x·xᵀ overflows ${type} at K[${i}][${j}] = ${pythonFloat(k[at])}, ${what}, though x is finite; scale x down, or train it with algorithm "direct", which never forms K`,
    { option: "x" },
  );
}

/** The reason a refused update names ("w2[3] inf"). */
function refusalReason({ matrix, index, value }: GramRefusal): string {
  if (matrix === "w2") return `w2[${index}] ${pythonFloat(value)}`;
  if (matrix === "S") return `w1 through the Gram form's S[${index}] ${pythonFloat(value)} (w1 = w1₀ − xᵀ·S)`;
  return `the next pass's h = x·w1 at h[${index}] ${pythonFloat(value)}`;
}

const W2_CHECK = GRAM_UPDATE_CHECKS.find((line) => line.writes === "w2")!;
const W2_UPDATE = GRAM_UPDATE.find((line) => line.writes === "w2")!;

export class GramState {
  private readonly b: NetBlocks & GramBlocks;
  /** Whether the state was built yet (it is at the first pass, update or read). */
  private based = false;
  /** Whether b.w1 holds the current w1 (materialized, or as the network was created or re-based). */
  private w1Fresh = true;
  /** Whether a w1 view is out: w1Seen then holds what it showed, and b.w1 stays fresh until the next update. */
  private w1Exposed = false;
  /** Whether b.gradW1 holds xᵀ·grad_h of the last pass. */
  private gradW1Fresh = false;
  /** Whether a pass ran since the last update (its gradients are the next update's). */
  private passPending = false;
  /**
   * Whether x was replaced (a re-base) after the pending pass: its grad_w1 is then b.gradW1, of the
   * x it ran on, which the next update applies as the direct program does (directUpdate).
   */
  private passOfOldX = false;
  /** Why the x of the last re-base cannot train in the Gram form (kOverflow), if it cannot: passes and updates throw it. */
  private unfit?: TwoLayerError;
  /** The threads' parts (threads > 1 and a network large enough, gram-parts.ts), if any. */
  private parts?: GramParts;

  constructor(
    private readonly k: NetKernels,
    blocks: NetBlocks,
    gram: GramBlocks,
    private readonly sizes: ProgramSizes,
    private readonly dtype: DType,
    parts?: (b: NetBlocks & GramBlocks) => GramParts,
  ) {
    this.b = { ...blocks, ...gram };
    this.parts = parts?.(this.b);
  }

  private run(lines: readonly GramLine[], lr = 0): number {
    let loss = NaN;
    for (const line of lines) loss = line.run(this.k, this.b, this.sizes, lr) ?? loss;
    return loss;
  }

  /** w1 = w1₀ − xᵀ·S into b.w1 (GRAM_READ.w1). */
  private materializeW1(): void {
    this.parts?.gather("s");
    this.run(GRAM_READ.w1);
    this.w1Fresh = true;
  }

  /** grad_w1 = xᵀ·grad_h into b.gradW1 (GRAM_READ.grad_w1). */
  private materializeGradW1(): void {
    this.parts?.gather("gradH");
    this.run(GRAM_READ.grad_w1);
    this.gradW1Fresh = true;
  }

  /**
   * Re-bases the state if it was never built, if a w1 view was written (its content is then the
   * current w1), or if x was handed out (`xExposed`) and differs from the x the state was built from.
   * A re-base with a new x checks its K (kOverflow); pass and update throw what it finds.
   */
  private sync(xExposed: boolean): void {
    const { b } = this;
    const w1Written = this.w1Exposed && !same(b.w1.array, b.w1Seen.array);
    const newX = !this.based || (xExposed && !same(b.x.array, b.xUsed.array));
    if (!w1Written && !newX) return;
    // The current w1 and grad_w1 are those of the x the state was built from: materialize them first.
    if (!this.w1Fresh) this.materializeW1();
    if (newX && this.based && !this.gradW1Fresh) this.materializeGradW1();
    if (newX && this.based && this.passPending) this.passOfOldX = true;
    if (newX) this.gradW1Fresh = this.based;
    if (newX) b.xUsed.array.set(b.x.array);
    this.run(newX ? GRAM_BASE : GRAM_BASE.filter((line) => line.writes !== "K"));
    this.parts?.scatter("s");
    this.parts?.scatter("hNext");
    if (newX) this.unfit = kOverflow(b.k.array, b.xUsed.array, this.sizes.n, this.dtype);
    // An unfit x leaves the state un-based, so that each later sync re-bases (and checks) again: a
    // new x written through net.x is then picked up. w1 is still right: w1₀ = w1, S = 0.
    this.based = this.unfit === undefined;
    this.w1Fresh = true;
    if (this.w1Exposed) b.w1Seen.array.set(b.w1.array);
  }

  /** Builds the state from the network's data now (its creation does), throwing for an x the Gram form cannot train. */
  base(): void {
    this.sync(false);
    if (this.unfit) throw this.unfit;
  }

  /**
   * One forward and backward pass (GRAM_FORWARD_BACKWARD); returns the loss. `updateFollows`: the
   * caller runs update() next with nothing in between (on threads the backward may then run in the
   * update's job; settle() runs it for readers of the gradients).
   */
  pass(xExposed: boolean, updateFollows = false): number {
    this.sync(xExposed);
    if (this.unfit) throw this.unfit;
    const loss = this.parts ? this.parts.pass(updateFollows) : this.run(GRAM_FORWARD_BACKWARD);
    this.gradW1Fresh = false;
    this.passPending = true;
    this.passOfOldX = false;
    return loss;
  }

  /**
   * The update (GRAM_UPDATE). With `keepFinite`, one that would make w2, S (so w1) or the next h
   * NaN or ±Infinity is refused, changing no weight, and the reason returned ("w2[3] inf").
   */
  update(lr: number, keepFinite: boolean, xExposed: boolean): string | undefined {
    this.sync(xExposed);
    if (this.unfit) throw this.unfit;
    if (this.passOfOldX) return this.directUpdate(lr, keepFinite);
    let refusal: GramRefusal | undefined;
    if (this.parts) refusal = this.parts.update(lr, keepFinite);
    else if (keepFinite) refusal = this.checkedUpdate(lr);
    else this.run(GRAM_UPDATE, lr);
    if (refusal !== undefined) {
      // The next h is the refused update's (or, on threads, may be): rebuild it from the unchanged weights, x·w1.
      if (refusal.matrix === "h_next" || this.parts) {
        const { n, dIn, hidden } = this.sizes;
        if (!this.w1Fresh) this.materializeW1();
        this.k.gemm_nn(this.b.hNext, this.b.xUsed, this.b.w1, n, dIn, hidden);
        this.parts?.scatter("hNext");
      }
      return refusalReason(refusal);
    }
    this.w1Fresh = false;
    this.w1Exposed = false;
    this.passPending = false;
    return undefined;
  }

  /**
   * The update of a pass whose x was replaced before it (passOfOldX): w1 −= lr·grad_w1 with the pass's
   * grad_w1 (of the x it ran on, as the direct program's is) and w2 −= lr·grad_w2, the program's own
   * lines on the materialized w1, then a re-base on the new x (w1₀ = w1, S = 0, the next h). With
   * `keepFinite`, refused as the direct program's update is.
   */
  private directUpdate(lr: number, keepFinite: boolean): string | undefined {
    const { k, b, dtype } = this;
    this.settle();
    for (const line of UPDATE) {
      const [w, g] = line.writes === "w1" ? [b.w1, b.gradW1] : [b.w2, b.gradW2];
      const i = keepFinite ? k.sgd_check(w, g, lr, w.length) : -1;
      if (i >= 0) return `${line.writes}[${i}] ${pythonFloat(sgdResult(dtype, w.array, g.array, lr, i))}`;
    }
    for (const line of UPDATE) line.run(k, b, this.sizes, lr);
    this.run(GRAM_BASE.filter((line) => line.writes !== "K"));
    this.parts?.scatter("s");
    this.parts?.scatter("hNext");
    this.w1Fresh = true;
    this.w1Exposed = false;
    this.passPending = false;
    this.passOfOldX = false;
    return undefined;
  }

  /**
   * The update on the main thread, checked (GRAM_S_NEXT says how): w2's check, S_next, the h update,
   * then S = S_next (the blocks swapped) and w2's update.
   */
  private checkedUpdate(lr: number): GramRefusal | undefined {
    const { k, b, sizes, dtype } = this;
    const [hLine] = GRAM_UPDATE;
    for (const check of [W2_CHECK, GRAM_S_NEXT]) {
      const i = check.run(k, b, sizes, lr) as number;
      const matrix = check.writes as GramRefusal["matrix"];
      if (i >= 0) return { matrix, index: i, value: refusedValue(dtype, matrix, b, i, lr) };
    }
    const i = hLine.run(k, b, sizes, lr) as number;
    if (i >= 0) return { matrix: "h_next", index: i, value: b.hNext.array[i] };
    [b.s, b.sNext] = [b.sNext, b.s];
    W2_UPDATE.run(k, b, sizes, lr);
    return undefined;
  }

  /** w1 = w1₀ − xᵀ·S in b.w1; `expose`: for a view handed out, whose writes are then looked for. */
  w1(expose: boolean, xExposed: boolean): Block {
    this.sync(xExposed);
    if (!this.w1Fresh) this.materializeW1();
    if (expose && !this.w1Exposed) {
      this.b.w1Seen.array.set(this.b.w1.array);
      this.w1Exposed = true;
    }
    return this.b.w1;
  }

  /** Makes the last pass's gradients (grad_w2, grad_h) readable (see pass). */
  settle(): void {
    this.parts?.settle();
  }

  /** grad_w1 = xᵀ·grad_h of the last pass, in b.gradW1. */
  gradW1(xExposed: boolean): Block {
    this.settle();
    this.sync(xExposed);
    if (!this.gradW1Fresh) this.materializeGradW1();
    return this.b.gradW1;
  }

  /** The last pass's h, h_relu or grad_h (on threads, made whole from the parts: valid until the next pass). */
  passMatrix(name: "h" | "hRelu" | "gradH"): Block {
    if (name === "gradH") this.settle();
    this.parts?.gather(name);
    return this.b[name];
  }

  /** Returns the parts' memory (the network's dispose()). */
  dispose(): void {
    this.parts?.dispose();
  }
}
