import type { Compute } from "./compute.js";
import { busyError, disposedError, TwoLayerError } from "./errors.js";
import { pythonFloat } from "./format.js";
import { GramState, sgdResult } from "./gram.js";
import type { Block, DType, FloatArray, NetKernels } from "./kernels.js";
import { carveGram, carveNet, netBytes, type GramBlocks, type NetBlocks } from "./layout.js";
import { nonFiniteData, nonFiniteGradient, runLoop, type TrainResult } from "./loop.js";
import type { Arena } from "./memory.js";
import {
  algorithmFallback,
  algorithmFor,
  learningRate,
  loopOptions,
  netOptions,
  shapes,
  netConfigOptions,
  TUTORIAL,
  type ArrayName,
  type CheckedLoop,
  type CheckedNet,
  type LoopOptions,
  type NetConfig,
  type NetOptions,
} from "./options.js";
import { predictRows } from "./predict.js";
import { NetworkViews } from "./net-views.js";
import { drawData, reserveNetwork } from "./open-network.js";
import { FORWARD_BACKWARD, PROGRAM, UPDATE } from "./program.js";
import type { Algorithm, RunInfo } from "./run-info.js";
import { GramParts, gramPartCount } from "./threads/gram-parts.js";
import { integer, reading } from "./validate.js";
import { writeWeights, type WeightsFormat } from "./weights.js";

type Sizes = Pick<NetConfig, "n" | "dIn" | "hidden" | "dOut">;

/** Floating-point operations of one step's matrix products (2 per multiply-add) in `algorithm`. */
export function stepFlops({ n, dIn, hidden, dOut }: Sizes, algorithm: Algorithm): number {
  return 2 * n * hidden * ((algorithm === "gram" ? n : 2 * dIn) + 3 * dOut);
}

/**
 * Floating-point operations of one training step: its matrix products, 2 per multiply-add (the five
 * of the program as written; for the Gram form the four it runs, its K·grad_h being N×N×H). For a
 * network, or for options `{ n, dIn, hidden, dOut, algorithm }` (each defaults to the tutorial's).
 */
export function flopsPerStep(sizes?: NetOptions | TwoLayerNet): number {
  if (reading("flopsPerStep's argument", () => sizes instanceof TwoLayerNet)) return stepFlops(sizes as TwoLayerNet, (sizes as TwoLayerNet).algorithmUsed);
  const config = netConfigOptions(sizes, "flopsPerStep");
  return stepFlops(config, algorithmFor(config));
}

// The functions below the class (creating a network from checked options, training it, its guard
// check for tests) reach its private parts through these, set once by the class's static block.
let construct: (config: NetConfig, compute: Compute, arena: Arena) => TwoLayerNet;
let internals: (net: TwoLayerNet) => {
  config: NetConfig;
  arena: Arena;
  blocks: NetBlocks;
  /** forwardBackward(), told whether update() comes next with nothing in between (the training loop). */
  pass(updateFollows: boolean): number;
  /** One update, refused (changing nothing, saying why) where it would make a weight non-finite and `keepFinite`. */
  update(lr: number, keepFinite: boolean): string | undefined;
  /** Builds a Gram-form network's state from its data (K = x·xᵀ …), throwing for an x it cannot train. */
  base(): void;
  /** Whether train runs the network now (from its start to its end): stepping it is then refused. */
  training(on: boolean): void;
  /** Throws BUSY, naming `method`, while train runs the network. */
  checkIdle(method: string): void;
};

/** A network reports what ran (RunInfo: backend, dtype, threadsUsed, fmaUsed, algorithmUsed, fallbacks). */
export interface TwoLayerNet extends Readonly<RunInfo> {}

/**
 * The network of the tutorial, with all its matrices in one arena reserved at creation (layout.ts:
 * parameters and their gradients in the same layout, activations, data, and x packed once for
 * h = x·w1's micro-kernel). Nothing is allocated while training.
 */
export class TwoLayerNet extends NetworkViews {
  /** Batch size N, input width D_in, hidden width H, output width D_out. */
  readonly n: number;
  readonly dIn: number;
  readonly hidden: number;
  readonly dOut: number;
  readonly seed: number;

  private readonly config: NetConfig;
  private readonly compute: Compute;
  private readonly k: NetKernels;
  private readonly arena: Arena;
  protected readonly b: NetBlocks;
  protected readonly gram?: GramState;
  /** Whether x is packed into `xPanels` yet (it is, from the first pass on). */
  private xPacked = false;
  /** The PROGRAM entry runLine runs next: 0 at an iteration's start, FORWARD_BACKWARD.length after a pass. */
  private next = 0;
  /** The loss the loss line computed last (NaN before it ever ran). */
  private lastLoss = NaN;
  /** Whether train runs this network now: step, forwardBackward, update, runLine and train refuse (BUSY). */
  private inTraining = false;

  static {
    construct = (config, compute, arena) => new TwoLayerNet(config, compute, arena);
    internals = (net) => ({
      config: net.config,
      arena: net.arena,
      blocks: net.b,
      pass: (updateFollows) => net.pass(updateFollows),
      update: (lr, keepFinite) => {
        net.checkAlive(); // an onIteration callback may have disposed it
        return net.tryUpdate(lr, keepFinite);
      },
      base: () => net.gram?.base(),
      training: (on) => void (net.inTraining = on),
      checkIdle: (method) => net.checkIdle(method),
    });
  }

  private constructor(config: NetConfig, compute: Compute, arena: Arena) {
    super();
    ({ n: this.n, dIn: this.dIn, hidden: this.hidden, dOut: this.dOut, seed: this.seed } = config);
    const { backend, dtype, threadsUsed, fmaUsed } = compute;
    const algorithmUsed = algorithmFor(config);
    const gramFallback = algorithmFallback(config);
    const fallbacks = [...compute.fallbacks, ...(gramFallback === undefined ? [] : [gramFallback])];
    Object.assign(this, { backend, dtype, threadsUsed, fmaUsed, algorithmUsed, fallbacks: Object.freeze(fallbacks) });
    this.config = config;
    this.compute = compute;
    this.k = compute.kernels;
    this.arena = arena;
    this.b = carveNet(arena, config);
    if (algorithmUsed === "gram") {
      const { threaded } = compute;
      const count = threaded ? gramPartCount(config, threadsUsed) : 1;
      const parts = threaded && count > 1
        ? (b: NetBlocks & GramBlocks) => new GramParts(threaded.pool, threaded.exports, this.k, b, config, dtype, compute.space, count, (block, start, length) => arena.slice(block, start, length))
        : undefined;
      this.gram = new GramState(this.k, this.b, carveGram(arena, config), config, dtype, parts);
    }
  }

  /** The bytes `create(options)` would reserve for the network (its sizes and dtype; each defaults to the tutorial's). */
  static bytesFor(options?: NetOptions): number {
    const config = netConfigOptions(options, "TwoLayerNet.bytesFor");
    return netBytes(config, config.dtype, algorithmFor(config));
  }

  /**
   * Creates a network: x, y, w1, w2 are numpy's `np.random.seed(seed)` then `randn(N, D_in)`,
   * `randn(N, D_out)`, `randn(D_in, H)`, `randn(H, D_out)`, bit for bit, unless given in the options.
   */
  static async create(options?: NetOptions): Promise<TwoLayerNet> {
    return openNetwork(netOptions(options));
  }

  /**
   * Forward and backward pass of the numpy program, one kernel per line (program.ts; the Gram form's
   * in gram-program.ts): returns the loss and leaves grad_w1, grad_w2 in `gradW1`, `gradW2`. The
   * weights are not changed.
   */
  forwardBackward(): number {
    this.checkIdle("net.forwardBackward()");
    return this.pass(false);
  }

  /** forwardBackward(); `updateFollows`: update() comes next with nothing in between (GramState.pass). */
  private pass(updateFollows: boolean): number {
    this.checkAlive();
    let loss = NaN;
    if (this.gram) loss = this.gram.pass(this.xExposed, updateFollows);
    else {
      if (!this.xPacked || this.xExposed) this.packX();
      for (const line of FORWARD_BACKWARD) loss = line.run(this.k, this.b, this) ?? loss;
    }
    this.lastLoss = loss;
    this.next = FORWARD_BACKWARD.length;
    return loss;
  }

  /**
   * One training iteration: returns its loss (before the update), then w −= learningRate·grad_w.
   * If an iteration is in progress line by line (`nextLine` > 0), it finishes that one instead: runs
   * its remaining lines and returns the loss its loss line computed.
   */
  step(rate: number = TUTORIAL.learningRate): number {
    const lr = learningRate(rate);
    this.checkIdle("net.step()");
    if (this.next === 0) this.pass(true);
    while (this.next > 0 && this.next < FORWARD_BACKWARD.length) this.runLine(this.next, lr);
    // One update for both weights (refused whole, as update() is), unless w1's line already ran alone.
    if (this.next === FORWARD_BACKWARD.length) this.update(lr);
    while (this.next !== 0) this.runLine(this.next, lr);
    return this.lastLoss;
  }

  /**
   * The index in PROGRAM of the line `runLine()` runs next: 0 at the start of an iteration, then
   * one more after each line, back to 0 after the last update line. forwardBackward() leaves it at
   * the first update line, update() and train() at 0.
   */
  get nextLine(): number {
    return this.next;
  }

  /**
   * Runs one line of the loop body as written, PROGRAM[line] (default: `nextLine`), with the very
   * kernel call forwardBackward/update make for it, on the matrices as they are; `nextLine` becomes
   * the line after it. Returns the loss for the loss line (index 3), else undefined. The update
   * lines use `rate` (default 1e-6) and, as update() does, refuse with NON_FINITE a step that would
   * make their weight non-finite, unless the network allows it. A line outside 0 … PROGRAM.length − 1
   * is an INVALID_OPTION TwoLayerError; so is stepping a Gram-form network, whose iteration is not
   * these lines (step it by iterations).
   */
  runLine(line: number = this.next, rate: number = TUTORIAL.learningRate): number | undefined {
    const i = integer("line", line, this.next, 0, PROGRAM.length - 1, "an index into PROGRAM");
    const lr = learningRate(rate);
    this.checkAlive();
    this.checkIdle("net.runLine()");
    if (this.gram) {
      throw new TwoLayerError("INVALID_OPTION", "runLine steps the program as written, and this network trains in the Gram form (algorithm: \"gram\"), whose iteration is other kernels: step it with step(), or create it with algorithm: \"direct\"", { option: "algorithm", expected: "\"direct\"" });
    }
    let loss: number | undefined;
    if (i < FORWARD_BACKWARD.length) {
      if (i === 0 && (!this.xPacked || this.xExposed)) this.packX();
      const result = FORWARD_BACKWARD[i].run(this.k, this.b, this);
      if (typeof result === "number") loss = this.lastLoss = result;
    } else {
      const entry = UPDATE[i - FORWARD_BACKWARD.length];
      const [w, g] = entry.writes === "w1" ? [this.b.w1, this.b.gradW1] : [this.b.w2, this.b.gradW2];
      const refused = this.config.allowNonFinite ? undefined : this.refusal(lr, w, g, entry.writes);
      if (refused !== undefined) throw nonFiniteError(refused, this);
      entry.run(this.k, this.b, this, lr);
    }
    this.next = (i + 1) % PROGRAM.length;
    return loss;
  }

  /**
   * w1 −= lr·grad_w1; w2 −= lr·grad_w2, in place, with the gradients of the last forwardBackward. An
   * update that would make a weight NaN or ±Infinity is refused with a NON_FINITE TwoLayerError and
   * changes nothing — unless the network was created with allowNonFinite: true.
   */
  update(lr: number): void {
    const rate = learningRate(lr);
    this.checkAlive();
    this.checkIdle("net.update()");
    const refused = this.tryUpdate(rate, !this.config.allowNonFinite);
    if (refused !== undefined) throw nonFiniteError(refused, this);
  }

  /**
   * The update (program.ts's UPDATE, or the Gram form's), unless `keepFinite` and it would make a
   * weight non-finite: then nothing changes and the reason is returned ("w1[3] inf").
   */
  private tryUpdate(lr: number, keepFinite: boolean): string | undefined {
    const refused = this.gram ? this.gram.update(lr, keepFinite, this.xExposed) : keepFinite ? this.refusal(lr) : undefined;
    if (refused !== undefined) return refused;
    if (!this.gram) for (const line of UPDATE) line.run(this.k, this.b, this, lr);
    this.next = 0;
    return undefined;
  }

  /**
   * The weight w −= lr·g would make non-finite ("w1[3] inf"), or undefined: of all the parameters
   * [w1 | w2], or of block `w` (gradient `g`) alone, named `name`.
   */
  private refusal(lr: number, w: Block = this.b.params, g: Block = this.b.grads, name?: string): string | undefined {
    const i = this.k.sgd_check(w, g, lr, w.length);
    if (i < 0) return undefined;
    const w1 = this.dIn * this.hidden;
    const at = name !== undefined ? `${name}[${i}]` : i < w1 ? `w1[${i}]` : `w2[${i - w1}]`;
    return `${at} ${pythonFloat(sgdResult(this.dtype, w.array, g.array, lr, i))}`;
  }

  /**
   * Trains this network in place for `iterations` steps (default 500) and returns the losses; the
   * network stays usable afterwards, also after an abort or divergence.
   */
  async train(options?: LoopOptions): Promise<TrainResult> {
    return trainNetwork(this, loopOptions(options));
  }

  /**
   * The weights as a file numpy and PyTorch read: an .npz (the default; np.savez's layout, arrays
   * "w1" and "w2", `<f8` for f64 networks and `<f4` for f32) or, with `"safetensors"`, a
   * .safetensors file (tensors "w1", "w2", F64 or F32). Shapes (D_in, H) and (H, D_out), row-major,
   * exactly the bits in memory; the same weights give the same bytes in every runtime.
   * `TwoLayerNet.create({ weights })` loads them back, bit for bit.
   */
  saveWeights(format: WeightsFormat = "npz"): Uint8Array {
    this.checkAlive();
    const { w1, w2 } = this.weights();
    return writeWeights(w1.array, w2.array, this.dIn, this.hidden, this.dOut, format);
  }

  /**
   * Predictions y = relu(x·w1)·w2 for new inputs x, rows × D_in row-major (any number of rows ≥ 1;
   * Float64Array, Float32Array or number[]; finite), as a fresh rows × D_out array of the network's
   * dtype. It runs the network's own kernels (SIMD, its threads, FMA if asked) on scratch of its own,
   * so x, h, yPred and the gradients stay as they were; the scratch may grow wasm memory (read views
   * again). On the training x it equals `yPred` after `forwardBackward()` bit for bit, also with
   * threads (the same split of h = x·w1) and with FMA (the same kernels, one engine); networks of
   * other thread counts or FMA settings differ in the last bits, as their training does (the Gram
   * form's pass carries h from its update: predict's x·w1 agrees with it to rounding). Bad input
   * is an INVALID_ARRAY TwoLayerError; so are non-finite weights, unless the network allows them.
   * A result that overflows to NaN or ±Infinity from finite inputs and weights is a NON_FINITE one,
   * unless the network allows non-finite values (it is then returned).
   */
  predict(x: ArrayLike<number>): FloatArray {
    this.checkAlive();
    const { w1, w2 } = this.weights();
    if (!this.config.allowNonFinite) finiteWeights({ w1, w2 });
    const { n, dIn, hidden, dOut } = this;
    const y = predictRows({ kernels: this.k, space: this.compute.scratchSpace(), dtype: this.dtype, n, dIn, hidden, dOut, w1, w2 }, x);
    if (!this.config.allowNonFinite) finitePrediction(y, dOut, this.dtype);
    return y;
  }

  /** The first NaN or ±Infinity in x, y, w1 or w2 ("x[5] is NaN"), if any. */
  firstNonFinite(): string | undefined {
    this.checkAlive();
    const { w1 } = this.weights();
    for (const name of ["x", "y", "w1", "w2"] as const) {
      const values = (name === "w1" ? w1 : this.b[name]).array;
      const i = values.findIndex((v) => !Number.isFinite(v));
      if (i >= 0) return `${name}[${i}] is ${values[i]}`;
    }
    return undefined;
  }

  /** The first NaN or ±Infinity in the last pass's grad_w2 or grad_w1 ("grad_w1[3] is Infinity"), if any. */
  firstNonFiniteGradient(): string | undefined {
    this.checkAlive();
    for (const [name, values] of [["grad_w2", this.gradW2], ["grad_w1", this.gradW1]] as const) {
      const i = values.findIndex((v) => !Number.isFinite(v));
      if (i >= 0) return `${name}[${i}] is ${values[i]}`;
    }
    return undefined;
  }

  /** Returns the memory to the backend and ends the worker threads, if any. Idempotent; any later use throws a DISPOSED TwoLayerError. */
  dispose(): void {
    this.gram?.dispose();
    this.compute.dispose();
    this.arena.dispose();
  }

  get disposed(): boolean {
    return this.arena.isDisposed;
  }

  /** Packs x into 4-row panels for h = x·w1's micro-kernel. */
  private packX(): void {
    this.k.pack_panels(this.b.xPanels, this.b.x, this.n, this.dIn);
    this.xPacked = true;
  }

  private checkAlive(): void {
    if (this.arena.isDisposed) throw disposedError();
  }

  private checkIdle(method: string): void {
    if (this.inTraining) throw busyError(method);
  }

  /** The row and column counts of x, y, w1, w2. */
  get shapes(): Record<ArrayName, [number, number]> {
    return shapes(this);
  }
}

/**
 * Throws INVALID_ARRAY for the first NaN or ±Infinity in the weights of a network created finite
 * (a write through a view, or training on with onNonFinite: "continue", put it there), where
 * predict would return NaN or ±Infinity for reasons the caller cannot see.
 */
function finiteWeights(weights: { w1: Block; w2: Block }): void {
  for (const [name, { array }] of Object.entries(weights)) {
    const i = array.findIndex((v) => !Number.isFinite(v));
    if (i < 0) continue;
    throw new TwoLayerError(
      "INVALID_ARRAY",
      `predict needs finite weights, and ${name}[${i}] is ${array[i]} (the network was created finite: a write through net.${name}, or training on with onNonFinite: "continue", put it there): write finite weights, or create the network with allowNonFinite: true to predict with them anyway`,
      { option: name },
    );
  }
}

/** Throws NON_FINITE for the first NaN or ±Infinity in predict's result y (rows × dOut), which finite inputs and weights made by overflowing. */
function finitePrediction(y: FloatArray, dOut: number, dtype: DType): void {
  const i = y.findIndex((v) => !Number.isFinite(v));
  if (i < 0) return;
  const [row, column] = [Math.floor(i / dOut), i % dOut];
  throw new TwoLayerError(
    "NON_FINITE",
    `predict's result for input row ${row} is ${y[i]} (column ${column}): relu(x·w1)·w2 overflows ${dtype === "f32" ? "float32" : "float64"} there, though the input and the weights are finite; scale the input or the weights down (or create the network with allowNonFinite: true to get the NaN and ±Infinity)`,
  );
}

/**
 * The refusal of an update that would make `refused` ("w1[3] inf") non-finite: the learning rate's
 * doing, unless the network's data or weights hold a NaN or ±Infinity already (nonFiniteData) or
 * the pass's gradients do (nonFiniteGradient).
 */
function nonFiniteError(refused: string, net: TwoLayerNet): TwoLayerError {
  const data = nonFiniteData(net, false);
  const fix = data !== undefined ? `${data}: write finite values` : nonFiniteGradient(net) ?? "lower the learning rate (or create the network with allowNonFinite: true)";
  return new TwoLayerError("NON_FINITE", `this update would make ${refused}; the weights are unchanged: ${fix}`);
}

/**
 * A network from checked options: its compute and arena (open-network.ts), numpy's data for the
 * seed, then the caller's arrays over it. `guarded` (tests) puts guard bytes around every block,
 * checked by `checkGuards`.
 */
export async function openNetwork(checked: CheckedNet, guarded = false): Promise<TwoLayerNet> {
  const { compute, arena } = await reserveNetwork(checked.config, guarded);
  let net: TwoLayerNet;
  try {
    net = construct(checked.config, compute, arena);
  } catch (error) {
    arena.dispose();
    compute.dispose();
    throw error;
  }
  drawData(internals(net).blocks, checked);
  try {
    internals(net).base(); // so that an x the Gram form cannot train is refused here, not at the first step
  } catch (error) {
    net.dispose();
    throw error;
  }
  return net;
}

/** Trains `net` with checked loop options (`train` and `net.train`). */
export function trainNetwork(net: TwoLayerNet, loop: CheckedLoop): Promise<TrainResult> {
  if (net.disposed) return Promise.reject(disposedError());
  const { config, pass, update, training, checkIdle } = internals(net);
  try {
    checkIdle("net.train()");
  } catch (error) {
    return Promise.reject(error);
  }
  const keepFinite = loop.config.onNonFinite === "stop";
  return runLoop(net, { ...config, ...loop.config }, loop, stepFlops(net, net.algorithmUsed), pass, (lr) => update(lr, keepFinite), training);
}

/** Throws if a kernel wrote outside its block (networks opened with `guarded`). */
export function checkGuards(net: TwoLayerNet): void {
  internals(net).arena.checkGuards();
}
