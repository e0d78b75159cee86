import { engine, type Engine } from "./backends.js";
import { TwoLayerError } from "./errors.js";
import { panelsLength, type BackendName, type Block, type DType, type FloatArray, type Kernels } from "./kernels.js";
import { Arena, MAX_ARENA_BYTES, tooLarge } from "./memory.js";
import { runLoop, type TrainResult } from "./loop.js";
import { learningRate, loopConfig, netConfig, shapes, TUTORIAL, type LoopConfig, type LoopOptions, type NetConfig, type NetOptions } from "./options.js";
import { NumpyRandomState } from "./numpy/random-state.js";

/** Floating-point operations of one training step: the five matrix products, 2 per multiply-add. */
export function flopsPerStep({ n, dIn, hidden, dOut }: { n: number; dIn: number; hidden: number; dOut: number }): number {
  return 2 * n * hidden * (2 * dIn + 3 * dOut);
}

/**
 * The network of the tutorial, with all its matrices in one arena reserved at creation: parameters
 * (w1, w2) in one block and their gradients in a second with the same layout, then activations and
 * data, and x once more packed in 4-row panels for h = x·w1's micro-kernel (x does not change while
 * training, so it is packed once). Nothing is allocated while training.
 */
export class TwoLayerNet {
  /** Batch size N, input width D_in, hidden width H, output width D_out. */
  readonly n: number;
  readonly dIn: number;
  readonly hidden: number;
  readonly dOut: number;
  readonly dtype: DType;
  /** Which implementation runs the arithmetic: "wasm-simd", "wasm-scalar" or "js". */
  readonly backend: BackendName;
  readonly seed: number;
  /** Threads the kernels run on: `threads` as asked for, or 1 where it could not be had (see `fallbacks`). */
  readonly threadsUsed: number;
  /** Whether the matrix products use fused multiply-add (`fma: true` where the engine has relaxed SIMD). */
  readonly fmaUsed: boolean;
  /** What was asked for (fma, threads) but could not be had here, and why; empty when everything was. */
  readonly fallbacks: readonly string[];

  private readonly config: NetConfig;
  private readonly engine: Engine;
  private readonly k: Kernels;
  /** Whether `x` was handed out (and so maybe written) since x was last packed into `xPanels`. */
  private xStale = true;
  private readonly arena: Arena;
  private readonly params: Block; // [w1 | w2]
  private readonly grads: Block; // [grad_w1 | grad_w2], the same layout
  private readonly b: Record<"w1" | "w2" | "gradW1" | "gradW2" | "h" | "hRelu" | "yPred" | "gradYPred" | "gradH" | "x" | "xPanels" | "y", Block>;

  private constructor(config: NetConfig, engine: Engine, arena: Arena) {
    ({ n: this.n, dIn: this.dIn, hidden: this.hidden, dOut: this.dOut, dtype: this.dtype, seed: this.seed } = config);
    this.config = config;
    this.engine = engine;
    this.k = engine.kernels;
    this.backend = engine.kernels.backend;
    this.threadsUsed = engine.threadsUsed;
    this.fmaUsed = engine.fmaUsed;
    this.fallbacks = engine.fallbacks;
    this.arena = arena;
    const { n, dIn, hidden: H, dOut } = config;
    this.params = arena.block(dIn * H + H * dOut);
    this.grads = arena.block(dIn * H + H * dOut);
    this.b = {
      w1: arena.slice(this.params, 0, dIn * H),
      w2: arena.slice(this.params, dIn * H, H * dOut),
      gradW1: arena.slice(this.grads, 0, dIn * H),
      gradW2: arena.slice(this.grads, dIn * H, H * dOut),
      h: arena.block(n * H),
      hRelu: arena.block(n * H),
      gradH: arena.block(n * H),
      yPred: arena.block(n * dOut),
      gradYPred: arena.block(n * dOut),
      x: arena.block(n * dIn),
      xPanels: arena.block(panelsLength(n, dIn)),
      y: arena.block(n * dOut),
    };
  }

  /** The bytes a network of this configuration reserves. */
  static bytesFor(config: Pick<NetConfig, "n" | "dIn" | "hidden" | "dOut" | "dtype">, guarded = false): number {
    const { n, dIn, hidden: H, dOut } = config;
    const p = dIn * H + H * dOut;
    return Arena.bytesFor(config.dtype, [p, p, n * H, n * H, n * H, n * dOut, n * dOut, n * dIn, panelsLength(n, dIn), n * dOut], guarded);
  }

  /**
   * Creates a network: x, y, w1, w2 are numpy's `np.random.seed(seed)` then `randn(N, D_in)`,
   * `randn(N, D_out)`, `randn(D_in, H)`, `randn(H, D_out)`, bit for bit, unless given in the options.
   */
  static async create(options?: NetOptions): Promise<TwoLayerNet> {
    return TwoLayerNet.build(netConfig(options), options);
  }

  /**
   * @internal create() after validation: `config` is netConfig(data)'s result. `guarded` (tests)
   * puts guard bytes around every block, checked by `checkGuards()`.
   */
  static async build(config: NetConfig, data: NetOptions | undefined, guarded = false): Promise<TwoLayerNet> {
    const bytes = TwoLayerNet.bytesFor(config, guarded);
    if (bytes > MAX_ARENA_BYTES) throw tooLarge(bytes); // before loading or reserving anything
    const e = await engine(config);
    let arena: Arena;
    try {
      arena = new Arena(e.space(), config.dtype, bytes, guarded);
    } catch (error) {
      e.dispose();
      throw error;
    }
    const net = new TwoLayerNet(config, e, arena);
    const random = new NumpyRandomState(config.seed);
    for (const name of ["x", "y", "w1", "w2"] as const) random.fillRandn(net.b[name].array);
    for (const name of ["x", "y", "w1", "w2"] as const) {
      const given = data?.[name];
      if (given !== undefined) net.b[name].array.set(given);
    }
    net.packX();
    return net;
  }

  /**
   * Forward and backward pass of the numpy program, one kernel per line: returns the loss and leaves
   * grad_w1, grad_w2 in `gradW1`, `gradW2`. The weights are not changed.
   */
  forwardBackward(): number {
    this.checkAlive();
    if (this.xStale) this.packX();
    const { k, b, n, dIn, hidden: H, dOut } = this;
    k.gemm_pn(b.h, b.xPanels, b.w1, n, dIn, H); //                        h = x·w1 (x as packed at create)
    k.relu_forward(b.hRelu, b.h, n * H); //                               h_relu = max(h, 0)
    k.gemm_nn(b.yPred, b.hRelu, b.w2, n, H, dOut); //                     y_pred = h_relu·w2
    const loss = k.sse_loss_grad(b.gradYPred, b.yPred, b.y, n * dOut); // loss = Σ(y_pred − y)²; grad_y_pred = 2(y_pred − y)
    k.gemm_tn(b.gradW2, b.hRelu, b.gradYPred, H, n, dOut); //             grad_w2 = h_reluᵀ·grad_y_pred
    k.gemm_nt(b.gradH, b.gradYPred, b.w2, n, dOut, H); //                 grad_h_relu = grad_y_pred·w2ᵀ
    k.relu_backward(b.gradH, b.h, n * H); //                              grad_h = grad_h_relu, 0 where h < 0
    k.gemm_tn(b.gradW1, b.x, b.gradH, dIn, n, H); //                      grad_w1 = xᵀ·grad_h
    return loss;
  }

  /** One training iteration: returns its loss (before the update), then w −= learningRate·grad_w. */
  step(rate: number = TUTORIAL.learningRate): number {
    const lr = learningRate(rate);
    const loss = this.forwardBackward();
    this.update(lr);
    return loss;
  }

  /** w1 −= lr·grad_w1; w2 −= lr·grad_w2, in place, with the gradients of the last forwardBackward. */
  update(lr: number): void {
    this.checkAlive();
    this.k.sgd(this.params, this.grads, lr, this.params.length); // one flat loop over [w1 | w2]
  }

  /**
   * Trains this network in place for `iterations` steps (default 500) and returns the losses; the
   * network stays usable afterwards, also after an abort or divergence.
   */
  async train(options?: LoopOptions): Promise<TrainResult> {
    return this.run(loopConfig(options), options);
  }

  /** @internal train() after validation. */
  async run(loop: LoopConfig, hooks: LoopOptions | undefined): Promise<TrainResult> {
    this.checkAlive();
    const config = { ...this.config, ...loop };
    return runLoop(this, config, flopsPerStep(this), { onIteration: hooks?.onIteration, signal: hooks?.signal });
  }

  /** Packs x into 4-row panels for h = x·w1 (again after `x` was handed out, in case it was written). */
  private packX(): void {
    this.k.pack_panels(this.b.xPanels, this.b.x, this.n, this.dIn);
    this.xStale = false;
  }

  /** Returns the memory to the backend and ends the worker threads, if any. Idempotent; any later use throws a DISPOSED TwoLayerError. */
  dispose(): void {
    this.engine.dispose();
    this.arena.dispose();
  }

  /** @internal Throws if a kernel wrote outside its block (networks built with `guarded`). */
  checkGuards(): void {
    this.arena.checkGuards();
  }

  get disposed(): boolean {
    return this.arena.isDisposed;
  }

  private checkAlive(): void {
    if (this.arena.isDisposed) throw new TwoLayerError("DISPOSED", "this network was disposed; create a new one");
  }

  // Zero-copy views into the network's memory, writable. Read them again after other networks are
  // created: a view is re-made whenever wasm memory has grown (which detaches the old one).

  /**
   * Inputs x, N×D_in row-major. Writes through this view are seen by the next pass: the network
   * re-packs x (its copy for the fast product) at the next pass after this getter is read. So read
   * `net.x` again before writing between passes rather than keeping an old view.
   */
  get x(): FloatArray {
    this.xStale = true;
    return this.b.x.array;
  }
  /** Targets y, N×D_out. */
  get y(): FloatArray { return this.b.y.array; }
  /** First-layer weights w1, D_in×H. */
  get w1(): FloatArray { return this.b.w1.array; }
  /** Second-layer weights w2, H×D_out. */
  get w2(): FloatArray { return this.b.w2.array; }
  /** grad_w1 of the last forwardBackward or step, D_in×H. */
  get gradW1(): FloatArray { return this.b.gradW1.array; }
  /** grad_w2 of the last forwardBackward or step, H×D_out. */
  get gradW2(): FloatArray { return this.b.gradW2.array; }
  /** Pre-activation h = x·w1 of the last pass, N×H. */
  get h(): FloatArray { return this.b.h.array; }
  /** Predictions y_pred of the last pass, N×D_out. */
  get yPred(): FloatArray { return this.b.yPred.array; }

  /** The row and column counts of x, y, w1, w2. */
  get shapes(): Record<"x" | "y" | "w1" | "w2", [number, number]> {
    return shapes(this);
  }
}
