import { describe, TwoLayerError } from "./errors.js";
import type { Backend } from "./backends.js";
import type { DType } from "./kernels.js";

// Every public entry checks its arguments here, before any memory is reserved or wasm is called.

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
  /** Inputs, N×D_in row-major; replaces the seed's draw. */
  x?: ArrayLike<number>;
  /** Targets, N×D_out row-major. */
  y?: ArrayLike<number>;
  /** First-layer weights, D_in×H row-major. */
  w1?: ArrayLike<number>;
  /** Second-layer weights, H×D_out row-major. */
  w2?: ArrayLike<number>;
  /** Accept NaN or ±Infinity in x, y, w1, w2 (default false: they are refused). */
  allowNonFinite?: boolean;
}

/** Options of a training loop (`net.train`). */
export interface LoopOptions {
  /** Iterations to run, an integer ≥ 0 (default 500). */
  iterations?: number;
  /** SGD learning rate, finite and ≥ 0 (default 1e-6). */
  learningRate?: number;
  /** Called at each iteration with its index and its loss, before that iteration's update (where numpy prints). A throw stops training, before the update, and is rethrown. */
  onIteration?: (t: number, loss: number) => void;
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
}

const NET_KEYS = ["n", "dIn", "hidden", "dOut", "seed", "dtype", "backend", "simd", "fma", "threads", "x", "y", "w1", "w2", "allowNonFinite"];

/** The most threads one network may ask for. */
export const MAX_THREADS = 256;
const LOOP_KEYS = ["iterations", "learningRate", "onIteration", "onNonFinite", "signal"];
const TRAIN_KEYS = [...NET_KEYS, ...LOOP_KEYS];

const SIZE_MEANING: Record<string, string> = {
  n: "the batch size N",
  dIn: "the input width D_in",
  hidden: "the hidden width H",
  dOut: "the output width D_out",
};

function invalid(message: string): TwoLayerError {
  return new TwoLayerError("INVALID_OPTION", message);
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The known name closest to `name`, if it is close enough to be a typo. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

function checkObject(options: unknown, what: string, known: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw invalid(`${what} takes an options object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    throw new TwoLayerError(
      "UNKNOWN_OPTION",
      `${what} has no option "${key}"${guess ? `; did you mean "${guess}"?` : ""} (options: ${known.join(", ")})`,
    );
  }
  return options as Record<string, unknown>;
}

/** An integer in [min, max], or `fallback` when undefined. */
export function integer(name: string, value: unknown, fallback: number, min: number, max: number, meaning: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${name} (${meaning}) must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

export function learningRate(value: unknown, fallback: number = TUTORIAL.learningRate): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw invalid(`learningRate must be a finite number ≥ 0, got ${describe(value)}`);
  }
  return value;
}

function oneOf<T extends string | boolean>(name: string, value: unknown, fallback: T, allowed: readonly T[]): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    throw invalid(`${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${describe(value)}`);
  }
  return value as T;
}

function threadCount(value: unknown): number | "auto" {
  if (value === undefined) return 1;
  if (value === "auto") return value;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_THREADS) {
    throw invalid(`threads must be an integer from 1 to ${MAX_THREADS} or "auto", got ${describe(value)}`);
  }
  return value;
}

/** The largest size a dimension may have: every matrix must be addressable by a 32-bit index. */
const MAX_SIZE = 2 ** 31 - 1;

export function netConfig(options: unknown, what = "TwoLayerNet.create", known: readonly string[] = NET_KEYS): NetConfig {
  const o = checkObject(options, what, known);
  const size = (name: keyof typeof SIZE_MEANING) =>
    integer(name, o[name], TUTORIAL[name as keyof typeof TUTORIAL] as number, 1, MAX_SIZE, SIZE_MEANING[name]);
  const config: NetConfig = {
    n: size("n"),
    dIn: size("dIn"),
    hidden: size("hidden"),
    dOut: size("dOut"),
    seed: integer("seed", o.seed, TUTORIAL.seed, 0, 2 ** 32 - 1, "numpy's seed"),
    dtype: oneOf<DType>("dtype", o.dtype, "f64", ["f64", "f32"]),
    backend: oneOf<Backend>("backend", o.backend, "wasm", ["wasm", "js"]),
    simd: oneOf<boolean | "auto">("simd", o.simd, "auto", ["auto", true, false]),
    fma: oneOf<boolean>("fma", o.fma, false, [true, false]),
    threads: threadCount(o.threads),
  };
  // Options that contradict each other are a mistake; features this engine lacks are not (they fall back).
  const asksForSpeed = config.fma || (typeof config.threads === "number" && config.threads > 1);
  if (config.backend === "js" && asksForSpeed) {
    throw invalid(`backend "js" runs plain TypeScript on one thread without FMA; fma and threads are options of backend "wasm"`);
  }
  if (config.simd === false && asksForSpeed) {
    throw invalid(`fma and threads run on the SIMD build; they cannot be combined with simd: false`);
  }
  oneOf<boolean>("allowNonFinite", o.allowNonFinite, false, [true, false]);
  for (const name of ["x", "y", "w1", "w2"] as const) {
    if (o[name] !== undefined) userArray(name, o[name], shapes(config)[name], o.allowNonFinite === true);
  }
  return config;
}

export interface LoopConfig {
  iterations: number;
  learningRate: number;
  onNonFinite: "stop" | "continue";
}

export interface TrainConfig extends NetConfig, LoopConfig {}

/** The loop's options, checked; `what` names the caller in messages. */
export function loopConfig(options: unknown, what = "net.train", known: readonly string[] = LOOP_KEYS): LoopConfig {
  const o = checkObject(options, what, known);
  if (o.onIteration !== undefined && typeof o.onIteration !== "function") {
    throw invalid(`onIteration must be a function (t, loss) => void, got ${describe(o.onIteration)}`);
  }
  const signal = o.signal as { aborted?: unknown; addEventListener?: unknown } | undefined;
  if (signal !== undefined && (signal === null || typeof signal !== "object" || typeof signal.aborted !== "boolean" || typeof signal.addEventListener !== "function")) {
    throw invalid(`signal must be an AbortSignal (new AbortController().signal), got ${describe(o.signal)}`);
  }
  return {
    iterations: integer("iterations", o.iterations, TUTORIAL.iterations, 0, MAX_ITERATIONS, "how many training steps"),
    learningRate: learningRate(o.learningRate),
    onNonFinite: oneOf<"stop" | "continue">("onNonFinite", o.onNonFinite, "stop", ["stop", "continue"]),
  };
}

export function trainConfig(options: unknown): TrainConfig {
  return { ...netConfig(options, "train", TRAIN_KEYS), ...loopConfig(options, "train", TRAIN_KEYS) };
}

/** The [rows, cols] of each user-suppliable matrix. */
export function shapes(c: { n: number; dIn: number; hidden: number; dOut: number }): Record<"x" | "y" | "w1" | "w2", [number, number]> {
  return { x: [c.n, c.dIn], y: [c.n, c.dOut], w1: [c.dIn, c.hidden], w2: [c.hidden, c.dOut] };
}

/** Checks a user array: array-like of numbers, rows×cols long, finite unless allowed. */
export function userArray(name: string, value: unknown, [rows, cols]: [number, number], allowNonFinite: boolean): ArrayLike<number> {
  const isNumeric = Array.isArray(value) || value instanceof Float64Array || value instanceof Float32Array;
  if (!isNumeric) {
    throw new TwoLayerError("INVALID_ARRAY", `${name} must be a Float64Array, Float32Array or array of numbers, got ${describe(value)}`);
  }
  const array = value as ArrayLike<unknown>;
  if (array.length !== rows * cols) {
    throw new TwoLayerError(
      "INVALID_ARRAY",
      `${name} must hold ${rows}×${cols} = ${rows * cols} numbers (row-major), got ${array.length}`,
    );
  }
  for (let i = 0; i < array.length; i++) {
    const v = array[i];
    if (typeof v !== "number") {
      throw new TwoLayerError("INVALID_ARRAY", `${name}[${i}] must be a number, got ${describe(v)}`);
    }
    if (!allowNonFinite && !Number.isFinite(v)) {
      throw new TwoLayerError(
        "INVALID_ARRAY",
        `${name}[${i}] is ${v}; pass finite values, or allowNonFinite: true to train on them anyway`,
      );
    }
  }
  return array as ArrayLike<number>;
}
