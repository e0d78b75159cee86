// What every option means, and the one place that reads the caller's options: each public entry
// (train, TwoLayerNet.create, net.train, net.step, init) has its options checked here, before any
// memory is reserved or wasm is called, into a checked config that carries everything below it needs.
import type { WasmBuild, WasmSource } from "./builds/builds.js";
import { BUILD_FILES } from "./builds/builds.js";
import { describe, detachedError, TwoLayerError } from "./errors.js";
import { isBufferSource, isDetached, isResponse, isUrl, isWasmModule } from "./realm.js";
import type { DType, FloatArray } from "./kernels.js";
import type { Algorithm } from "./run-info.js";
import { countOrAuto, integer, nonNegative, oneOf, optionalFunction, optionalSignal, readOptions, userArray } from "./validate.js";
import { readWeights, weightsIn, type WeightsFile } from "./weights.js";

/** The tutorial's values: every option defaults to them. */
export const TUTORIAL = {
  n: 64,
  dIn: 1000,
  hidden: 100,
  dOut: 10,
  iterations: 500,
  learningRate: 1e-6,
  seed: 0,
} as const;

/** The most iterations one `train` call runs (its losses alone take 8 bytes each). */
export const MAX_ITERATIONS = 100_000_000;
/** The most threads one network may ask for. */
export const MAX_THREADS = 256;
/** The largest size a dimension may have: every matrix must be addressable by a 32-bit index. */
export const MAX_SIZE = 2 ** 31 - 1;
/** The largest numpy seed (numpy's seeds are 32-bit). */
export const MAX_SEED = 2 ** 32 - 1;

/** `"wasm"`: AssemblyScript kernels (SIMD where the engine has it); `"js"`: the plain TypeScript ones. */
export type Backend = "wasm" | "js";

/** Options of `TwoLayerNet.create`. */
export interface NetOptions {
  /** Batch size N (default 64). */
  n?: number;
  /** Input width D_in (default 1000). */
  dIn?: number;
  /** Hidden width H (default 100). */
  hidden?: number;
  /** Output width D_out (default 10). */
  dOut?: number;
  /** numpy seed, an integer 0 … 2^32−1 (default 0): x, y, w1, w2 are numpy's randn draws, bit for bit. */
  seed?: number;
  /** `"f64"` (default, numpy's float64) or `"f32"`. */
  dtype?: DType;
  /** `"wasm"` (default) or `"js"` (plain TypeScript, the reference). */
  backend?: Backend;
  /** wasm only: `"auto"` (default) picks SIMD where supported; `true`/`false` force the SIMD or scalar build. */
  simd?: boolean | "auto";
  /**
   * wasm only: `true` runs the matrix products with fused multiply-add (relaxed SIMD's
   * `relaxed_madd`), default false. Results may then differ in the last bits between engines (V8
   * fuses, JavaScriptCore and so Bun does not). Where the engine lacks relaxed SIMD it runs without
   * FMA and says so (`fmaUsed`, `fallbacks`).
   */
  fma?: boolean;
  /**
   * wasm only: threads to run on, an integer ≥ 1 or `"auto"` (the cores available); default 1.
   * Needs shared memory and workers (Node, Bun, Deno, cross-origin isolated pages); elsewhere it runs
   * on one thread and says so (`threadsUsed`, `fallbacks`). Results repeat bit for bit for a given
   * thread count, and differ from one thread's in the last bits of h = x·w1 (see README, "Speed").
   */
  threads?: number | "auto";
  /**
   * `"direct"` (default): the numpy program as written, each line its own kernel. `"gram"`: the same
   * training through K = x·xᵀ (computed once), h carried from step to step (h −= lr·K·grad_h) and
   * w1 = w1₀ − xᵀ·S materialized when read (README, "The Gram form"); where N ≥ D_in it saves
   * nothing, and the network runs "direct" and says so (`algorithmUsed`, `fallbacks`).
   */
  algorithm?: Algorithm;
  /** Inputs, N×D_in row-major; replaces the seed's draw. */
  x?: ArrayLike<number>;
  /** Targets, N×D_out row-major. */
  y?: ArrayLike<number>;
  /** First-layer weights, D_in×H row-major. */
  w1?: ArrayLike<number>;
  /** Second-layer weights, H×D_out row-major. */
  w2?: ArrayLike<number>;
  /**
   * Saved weights to start from: the bytes of an .npz (np.savez's layout, arrays "w1" and "w2") or
   * a .safetensors file (tensors "w1", "w2"), as `net.saveWeights()` writes them, detected by
   * content. D_in, H and D_out come from the file (sizes given too must agree); float32 weights load
   * exactly into an f64 network, float64 ones into an f32 network rounded as numpy's
   * `astype(np.float32)`. The bytes are copied once when the options are read.
   */
  weights?: Uint8Array | ArrayBuffer;
  /** Accept NaN or ±Infinity in x, y, w1, w2 and the weights file (default false: they are refused). */
  allowNonFinite?: boolean;
}

/** train's callback: its return value is ignored unless it is a promise (a thenable), which training awaits. */
export type OnIteration = (t: number, loss: number) => void | PromiseLike<unknown>;

/** Options of a training loop (`net.train`). */
export interface LoopOptions {
  /** Iterations to run, an integer ≥ 0 (default 500). */
  iterations?: number;
  /** SGD learning rate, finite and ≥ 0 (default 1e-6). */
  learningRate?: number;
  /**
   * Called at each iteration with its index and its loss, before that iteration's update (where numpy
   * prints). A throw, or a rejection of a promise it returns (training waits for it), stops training
   * before the update and is rethrown. Stepping or training the network from it is a BUSY error.
   */
  onIteration?: OnIteration;
  /**
   * What a NaN or infinite loss does: `"stop"` (default) ends training before that iteration's update,
   * with `status: "diverged"`; `"continue"` carries on as numpy does.
   */
  onNonFinite?: "stop" | "continue";
  /** Aborting ends training after the current iteration with `status: "aborted"`; the network stays usable. */
  signal?: AbortSignal;
}

/** Options of `train`: a network's options and the loop's. */
export interface TrainOptions extends NetOptions, LoopOptions {}

/** Options of `init`. */
export interface InitOptions {
  /** `"auto"` (default): SIMD where the engine validates it, else the scalar build; `true`/`false` force one. */
  simd?: boolean | "auto";
  /** Also load the FMA build (relaxed SIMD), where the engine supports it. */
  fma?: boolean;
  /** Also load the threaded build (more than 1, or "auto"), where shared memory can be had. */
  threads?: number | "auto";
  /**
   * Where to load each build from instead of the shipped files (URL, bytes, Response or compiled
   * Module): `simd`, `scalar`, `fma`, `threads`, `"threads-fma"`.
   */
  wasm?: Partial<Record<WasmBuild, WasmSource>>;
}

/** A network's options as used, defaults filled in (the user's arrays left out). */
export interface NetConfig {
  n: number;
  dIn: number;
  hidden: number;
  dOut: number;
  seed: number;
  dtype: DType;
  backend: Backend;
  simd: boolean | "auto";
  fma: boolean;
  threads: number | "auto";
  algorithm: Algorithm;
  allowNonFinite: boolean;
}

/** A loop's options as used, defaults filled in (the callbacks left out). */
export interface LoopConfig {
  iterations: number;
  learningRate: number;
  onNonFinite: "stop" | "continue";
}

export interface TrainConfig extends NetConfig, LoopConfig {}

/** The matrices a caller may hand in. */
export type ArrayName = "x" | "y" | "w1" | "w2";

/** A network's checked options: the config, and the caller's arrays, each copied once into the dtype's array type. */
export interface CheckedNet {
  readonly config: NetConfig;
  readonly arrays: Readonly<Partial<Record<ArrayName, FloatArray>>>;
}

/** A loop's checked options: the config and the callbacks. */
export interface CheckedLoop {
  readonly config: LoopConfig;
  readonly onIteration?: OnIteration;
  readonly signal?: AbortSignal;
}

const NET_KEYS = ["n", "dIn", "hidden", "dOut", "seed", "dtype", "backend", "simd", "fma", "threads", "algorithm", "x", "y", "w1", "w2", "weights", "allowNonFinite"];
const LOOP_KEYS = ["iterations", "learningRate", "onIteration", "onNonFinite", "signal"];
const TRAIN_KEYS = [...NET_KEYS, ...LOOP_KEYS];
const INIT_KEYS = ["simd", "fma", "threads", "wasm"];

const SIZE_MEANING = { n: "the batch size N", dIn: "the input width D_in", hidden: "the hidden width H", dOut: "the output width D_out" } as const;

function isThenable(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

function contradiction(message: string): TwoLayerError {
  return new TwoLayerError("INVALID_OPTION", message);
}

/** The [rows, cols] of each user-suppliable matrix. */
export function shapes(c: { n: number; dIn: number; hidden: number; dOut: number }): Record<ArrayName, [number, number]> {
  return { x: [c.n, c.dIn], y: [c.n, c.dOut], w1: [c.dIn, c.hidden], w2: [c.hidden, c.dOut] };
}

/** The wasm options checked against each other: contradictions are mistakes; missing features are not (they fall back). */
function checkSpeedOptions(c: { backend?: Backend; simd: boolean | "auto"; fma: boolean; threads: number | "auto" }): void {
  const asksForSpeed = c.fma || (typeof c.threads === "number" && c.threads > 1);
  if (c.backend === "js" && asksForSpeed) {
    throw contradiction(`backend "js" runs plain TypeScript on one thread without FMA; fma and threads are options of backend "wasm"`);
  }
  if (c.simd === false && asksForSpeed) throw contradiction(`fma and threads run on the SIMD build; they cannot be combined with simd: false`);
}

/** A size given beside a weights file must be the file's: else we say both. */
function fileSize(name: "dIn" | "hidden" | "dOut", given: number | undefined, file: WeightsFile): number {
  const had = file[name];
  if (given !== undefined && given !== had) {
    const of = name === "dOut" ? `w2 is ${file.hidden}×${file.dOut}` : `w1 is ${file.dIn}×${file.hidden}`;
    throw new TwoLayerError(
      "INVALID_OPTION",
      `${name} (${SIZE_MEANING[name]}) is ${given} but the weights file's ${of}, so ${name} is ${had} there; leave ${name} out to take the file's, or pass weights of that size`,
      { option: name },
    );
  }
  return had;
}

function checkNet(o: Readonly<Record<string, unknown>>): CheckedNet {
  // A weights file is read (and its sizes learned) first: every check below sees its sizes.
  const file = o.weights === undefined ? undefined : readWeights(o.weights);
  const size = (name: keyof typeof SIZE_MEANING) => {
    const given = o[name] === undefined ? undefined : integer(name, o[name], TUTORIAL[name], 1, MAX_SIZE, SIZE_MEANING[name]);
    return file !== undefined && name !== "n" ? fileSize(name, given, file) : (given ?? TUTORIAL[name]);
  };
  const config: NetConfig = {
    n: size("n"),
    dIn: size("dIn"),
    hidden: size("hidden"),
    dOut: size("dOut"),
    seed: integer("seed", o.seed, TUTORIAL.seed, 0, MAX_SEED, "numpy's seed"),
    dtype: oneOf<DType>("dtype", o.dtype, "f64", ["f64", "f32"]),
    backend: oneOf<Backend>("backend", o.backend, "wasm", ["wasm", "js"]),
    simd: oneOf<boolean | "auto">("simd", o.simd, "auto", ["auto", true, false]),
    fma: oneOf<boolean>("fma", o.fma, false, [true, false]),
    threads: countOrAuto("threads", o.threads, 1, MAX_THREADS),
    algorithm: oneOf<Algorithm>("algorithm", o.algorithm, "direct", ["direct", "gram"]),
    allowNonFinite: oneOf<boolean>("allowNonFinite", o.allowNonFinite, false, [true, false]),
  };
  checkSpeedOptions(config);
  const { allowNonFinite } = config;
  const arrays: Partial<Record<ArrayName, FloatArray>> = {};
  const shape = shapes(config);
  for (const name of ["x", "y", "w1", "w2"] as const) {
    if (file !== undefined && (name === "w1" || name === "w2") && o[name] !== undefined) {
      throw contradiction(`weights and ${name} both give ${name}; pass one of them`);
    }
    if (o[name] !== undefined) arrays[name] = userArray(name, o[name], shape[name], allowNonFinite, config.dtype);
  }
  if (file !== undefined) Object.assign(arrays, weightsIn(file, config.dtype, allowNonFinite));
  return { config, arrays };
}

function checkLoop(o: Readonly<Record<string, unknown>>): CheckedLoop {
  const onIteration = optionalFunction<OnIteration>("onIteration", o.onIteration, "(t, loss) => void");
  const signal = optionalSignal("signal", o.signal);
  const config: LoopConfig = {
    iterations: integer("iterations", o.iterations, TUTORIAL.iterations, 0, MAX_ITERATIONS, "how many training steps"),
    learningRate: nonNegative("learningRate", o.learningRate, TUTORIAL.learningRate),
    onNonFinite: oneOf<"stop" | "continue">("onNonFinite", o.onNonFinite, "stop", ["stop", "continue"]),
  };
  return { config, onIteration, signal };
}

/** Options asked about before creating (`flopsPerStep`, `TwoLayerNet.bytesFor`): judged as `create` judges them. */
export function netConfigOptions(options: unknown, what: string): NetConfig {
  return checkNet(readOptions(options, what, NET_KEYS)).config;
}

/** `TwoLayerNet.create`'s options, checked. */
export function netOptions(options: unknown): CheckedNet {
  return checkNet(readOptions(options, "TwoLayerNet.create", NET_KEYS));
}

/** `net.train`'s options, checked. */
export function loopOptions(options: unknown): CheckedLoop {
  return checkLoop(readOptions(options, "net.train", LOOP_KEYS));
}

/** `train`'s options, checked: the network's and the loop's, from one reading of the object. */
export function trainOptions(options: unknown): { net: CheckedNet; loop: CheckedLoop } {
  const o = readOptions(options, "train", TRAIN_KEYS);
  return { net: checkNet(o), loop: checkLoop(o) };
}

/** A learning rate given on its own (`net.step(rate)`), checked. */
export function learningRate(value: unknown): number {
  return nonNegative("learningRate", value, TUTORIAL.learningRate);
}

/** `init`'s options, checked: the speed options as a network's, and each build's source. */
export function initOptions(options: unknown): { simd: boolean | "auto"; fma: boolean; threads: number | "auto"; wasm: [WasmBuild, WasmSource][] } {
  const o = readOptions(options, "init", INIT_KEYS);
  const config = {
    simd: oneOf<boolean | "auto">("simd", o.simd, "auto", ["auto", true, false]),
    fma: oneOf<boolean>("fma", o.fma, false, [true, false]),
    threads: countOrAuto("threads", o.threads, 1, MAX_THREADS),
  };
  checkSpeedOptions(config);
  const builds = Object.keys(BUILD_FILES);
  const wasm = o.wasm === undefined ? {} : readOptions(o.wasm, "init's wasm", builds);
  const sources: [WasmBuild, WasmSource][] = [];
  for (const [build, source] of Object.entries(wasm)) {
    if (source === undefined) continue;
    const accepted = typeof source === "string" || isUrl(source) || isBufferSource(source) || isResponse(source) || isWasmModule(source) || isThenable(source);
    if (!accepted) {
      throw new TwoLayerError("INVALID_OPTION", `wasm.${build} must be a URL, bytes, a Response or a compiled WebAssembly.Module, got ${describe(source)}`, { option: `wasm.${build}` });
    }
    if (isBufferSource(source) && isDetached(source)) throw detachedError(`wasm.${build}`, "INVALID_OPTION");
    // A promise of a build that is never loaded here (the scalar build where SIMD runs) would reject
    // unobserved, which ends a Node process: we observe it now; the load that awaits it sees the rejection.
    if (isThenable(source)) Promise.resolve(source).catch(() => {});
    sources.push([build as WasmBuild, source as WasmSource]);
  }
  return { ...config, wasm: sources };
}

/** The algorithm a network of this config runs: "gram" only where it was asked for and N < D_in. */
export function algorithmFor(config: Pick<NetConfig, "algorithm" | "n" | "dIn">): Algorithm {
  return config.algorithm === "gram" && config.n < config.dIn ? "gram" : "direct";
}

/** The fallback entry of a "gram" network that runs "direct" (N ≥ D_in), if this config makes one. */
export function algorithmFallback(config: Pick<NetConfig, "algorithm" | "n" | "dIn">): string | undefined {
  if (config.algorithm !== "gram" || algorithmFor(config) === "gram") return undefined;
  return `algorithm "gram" saves work only when N < D_in (here N = ${config.n}, D_in = ${config.dIn}: K = x·xᵀ would be as large as the products it replaces); ran "direct"`;
}
