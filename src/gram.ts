// The state of a network that trains in the Gram form (gram-program.ts): h carried from step to step,
// K = x·xᵀ, S = Σ lr·grad_h and w1₀, and the rules that keep what readers see the same as the direct
// program's. w1 and grad_w1 are materialized when read (a view valid until the next update); a write
// through a w1 view handed out, or through x once x was handed out, is found by comparing with what
// the state was built from, and re-bases the state (K and h recomputed, S = 0, w1₀ = the current
// w1) before the next pass, update or read.
import { pythonFloat } from "./format.js";
import type { Block, DType, FloatArray, NetKernels } from "./kernels.js";
import type { GramBlocks, NetBlocks } from "./layout.js";
import { GRAM_BASE, GRAM_FORWARD_BACKWARD, GRAM_READ, GRAM_UPDATE, type GramLine } from "./gram-program.js";
import type { ProgramSizes } from "./program.js";

/** What w −= lr·g makes of w[i] in this dtype (the value a refused update names). */
export function sgdResult(dtype: DType, w: FloatArray, g: FloatArray, lr: number, i: number): number {
  const round = dtype === "f32" ? Math.fround : (v: number) => v;
  return round(w[i] - round(round(lr) * g[i]));
}

function same(a: FloatArray, b: FloatArray): boolean {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

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

  constructor(
    private readonly k: NetKernels,
    blocks: NetBlocks,
    gram: GramBlocks,
    private readonly sizes: ProgramSizes,
    private readonly dtype: DType,
  ) {
    this.b = { ...blocks, ...gram };
  }

  private run(lines: readonly GramLine[], lr = 0): number {
    let loss = NaN;
    for (const line of lines) loss = line.run(this.k, this.b, this.sizes, lr) ?? loss;
    return loss;
  }

  /**
   * Re-bases the state if it was never built, if a w1 view was written (its content is then the
   * current w1), or if x was handed out (`xExposed`) and differs from the x the state was built from.
   */
  private sync(xExposed: boolean): void {
    const { b } = this;
    const w1Written = this.w1Exposed && !same(b.w1.array, b.w1Seen.array);
    const newX = !this.based || (xExposed && !same(b.x.array, b.xUsed.array));
    if (!w1Written && !newX) return;
    // The current w1 and grad_w1 are those of the x the state was built from: materialize them first.
    if (!this.w1Fresh) this.run(GRAM_READ.w1);
    if (newX && this.based && !this.gradW1Fresh) this.run(GRAM_READ.grad_w1);
    if (newX) this.gradW1Fresh = this.based;
    if (newX) b.xUsed.array.set(b.x.array);
    this.run(newX ? GRAM_BASE : GRAM_BASE.filter((line) => line.writes !== "K"));
    this.based = true;
    this.w1Fresh = true;
    if (this.w1Exposed) b.w1Seen.array.set(b.w1.array);
  }

  /** One forward and backward pass (GRAM_FORWARD_BACKWARD); returns the loss. */
  pass(xExposed: boolean): number {
    this.sync(xExposed);
    const loss = this.run(GRAM_FORWARD_BACKWARD);
    this.gradW1Fresh = false;
    return loss;
  }

  /**
   * The update (GRAM_UPDATE). With `keepFinite`, one that would make w2, S (so w1) or the next h
   * NaN or ±Infinity is refused, changing no weight, and the reason returned ("w2[3] inf").
   */
  update(lr: number, keepFinite: boolean, xExposed: boolean): string | undefined {
    this.sync(xExposed);
    const { b, k, sizes, dtype } = this;
    const { n, hidden, dOut } = sizes;
    const [hLine, sLine, w2Line] = GRAM_UPDATE;
    if (keepFinite) {
      let i = k.sgd_check(b.w2, b.gradW2, lr, hidden * dOut);
      if (i >= 0) return `w2[${i}] ${pythonFloat(sgdResult(dtype, b.w2.array, b.gradW2.array, lr, i))}`;
      i = k.sgd_check(b.s, b.gradH, -lr, n * hidden);
      if (i >= 0) return `w1 through the Gram form's S[${i}] ${pythonFloat(sgdResult(dtype, b.s.array, b.gradH.array, -lr, i))} (w1 = w1₀ − xᵀ·S)`;
      i = hLine.run(k, b, sizes, lr) as number;
      if (i >= 0) {
        const value = b.hNext.array[i];
        // Rebuild the next h from the unchanged weights: x·w1, w1 materialized.
        if (!this.w1Fresh) this.run(GRAM_READ.w1);
        this.w1Fresh = true;
        k.gemm_nn(b.hNext, b.xUsed, b.w1, n, sizes.dIn, hidden);
        return `the next pass's h = x·w1 at h[${i}] ${pythonFloat(value)}`;
      }
      this.run([sLine, w2Line], lr);
    } else {
      this.run(GRAM_UPDATE, lr);
    }
    this.w1Fresh = false;
    this.w1Exposed = false;
    return undefined;
  }

  /** w1 = w1₀ − xᵀ·S in b.w1; `expose`: for a view handed out, whose writes are then looked for. */
  w1(expose: boolean, xExposed: boolean): Block {
    this.sync(xExposed);
    if (!this.w1Fresh) this.run(GRAM_READ.w1);
    this.w1Fresh = true;
    if (expose && !this.w1Exposed) {
      this.b.w1Seen.array.set(this.b.w1.array);
      this.w1Exposed = true;
    }
    return this.b.w1;
  }

  /** grad_w1 = xᵀ·grad_h of the last pass, in b.gradW1. */
  gradW1(xExposed: boolean): Block {
    this.sync(xExposed);
    if (!this.gradW1Fresh) this.run(GRAM_READ.grad_w1);
    this.gradW1Fresh = true;
    return this.b.gradW1;
  }
}
