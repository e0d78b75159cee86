// What a network shows: zero-copy views into its memory, writable, the matrices of the numpy program
// by name. TwoLayerNet extends this class; the views read its blocks (layout.ts) and, for the Gram
// form, its state (gram.ts), which materializes w1 and grad_w1 when they are read.
import type { GramState } from "./gram.js";
import type { Block, FloatArray } from "./kernels.js";
import type { NetBlocks } from "./layout.js";

/**
 * The views of a network. Read them again after other networks are created: a view is re-made
 * whenever wasm memory has grown (which detaches the old one).
 */
export abstract class NetworkViews {
  /** The network's blocks. */
  protected abstract readonly b: NetBlocks;
  /** The Gram form's state (algorithmUsed "gram"), which w1 and grad_w1 are read through. */
  protected abstract readonly gram?: GramState;
  /**
   * Whether `x` was ever handed out: a view of it may then be written at any time, so from then on
   * every pass packs x again (about 2% of a step at the tutorial's sizes) and a write through any
   * view of x, kept or not, takes full effect at the next pass.
   */
  protected xExposed = false;

  abstract get disposed(): boolean;

  /**
   * w1 and w2 as blocks of the arena, for whatever reads the weights between training steps
   * (saveWeights, predict, firstNonFinite, the w1 and w2 views): the Gram form materializes w1 here
   * (`expose`: for a view handed out, whose writes it then looks for).
   */
  protected weights(expose = false): { w1: Block; w2: Block } {
    return { w1: this.gram && !this.disposed ? this.gram.w1(expose, this.xExposed) : this.b.w1, w2: this.b.w2 };
  }

  /**
   * Inputs x, N×D_in row-major. Writes through this view (or one kept from an earlier read) take full
   * effect at the next pass: once x has been handed out, the network packs it again at every pass
   * (the Gram form compares it with the x its state was built from, and re-bases where it differs).
   */
  get x(): FloatArray {
    this.xExposed = true;
    return this.b.x.array;
  }
  /** Targets y, N×D_out. */
  get y(): FloatArray { return this.b.y.array; }
  /**
   * First-layer weights w1, D_in×H. Gram form: materialized (w1₀ − xᵀ·S), a view valid until the
   * next update; writes through it before then take effect (re-base) at the next pass or update.
   */
  get w1(): FloatArray { return this.weights(true).w1.array; }
  /** Second-layer weights w2, H×D_out. */
  get w2(): FloatArray { return this.weights().w2.array; }
  /** grad_w1 of the last forwardBackward or step, D_in×H (Gram form: xᵀ·grad_h materialized; the update does not read it). */
  get gradW1(): FloatArray { return (this.gram && !this.disposed ? this.gram.gradW1(this.xExposed) : this.b.gradW1).array; }
  /** grad_w2 of the last forwardBackward or step, H×D_out. */
  get gradW2(): FloatArray {
    if (this.gram && !this.disposed) this.gram.settle();
    return this.b.gradW2.array;
  }
  /** Pre-activation h = x·w1 of the last pass, N×H. */
  get h(): FloatArray { return this.passMatrix("h"); }
  /** Predictions y_pred of the last pass, N×D_out. */
  get yPred(): FloatArray { return this.b.yPred.array; }
  /** h_relu = np.maximum(h, 0) of the last pass, N×H. */
  get hRelu(): FloatArray { return this.passMatrix("hRelu"); }
  /** grad_y_pred = 2.0 * (y_pred − y) of the last pass, N×D_out. */
  get gradYPred(): FloatArray { return this.b.gradYPred.array; }
  /**
   * grad_h of the last pass, N×H. It shares its memory with grad_h_relu: between the line
   * grad_h_relu = grad_y_pred.dot(w2.T) and the mask line (runLine(5) then runLine(6)) it holds
   * grad_h_relu, unmasked; after the mask line, grad_h (zero where h < 0).
   */
  get gradH(): FloatArray { return this.passMatrix("gradH"); }

  /** A pass's N×H matrix: the Gram form on threads makes it whole from the threads' parts when read. */
  private passMatrix(name: "h" | "hRelu" | "gradH"): FloatArray {
    return (this.gram && !this.disposed ? this.gram.passMatrix(name) : this.b[name]).array;
  }
}
