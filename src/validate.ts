// The checks every option is judged by (options.ts says which option gets which). Each failure is a
// TwoLayerError naming the option, what it got and what it accepts (`option` and `expected` carry
// the last two apart, so the command line can say them in its own words).
import { describe, detachedError, TwoLayerError } from "./errors.js";
import { DTYPES, type DType, type FloatArray } from "./kernels.js";
import { isDetached, isFloatArray, typedArrayLength } from "./realm.js";

/** A refusal of one option's value. */
export function invalidOption(option: string, expected: string, got: unknown, meaning?: string): TwoLayerError {
  const name = meaning ? `${option} (${meaning})` : option;
  return new TwoLayerError("INVALID_OPTION", `${name} must be ${expected}, got ${describe(got)}`, { option, expected });
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

/** The options as read once: each own enumerable string key's value, read exactly once. */
export type OptionValues = Readonly<Record<string, unknown>>;

/**
 * Whether `value` is a plain object: `{ … }` or Object.create(null), from this realm or another
 * (a vm context, an iframe). Class instances, Maps, arrays, boxed primitives and the like are not.
 */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === null || (Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(value) === "[object Object]");
}

/** Runs `read`, turning anything it throws (a getter's or a proxy's own error) into a TwoLayerError (INVALID_OPTION unless told). */
export function reading<T>(what: string, read: () => T, code: "INVALID_OPTION" | "INVALID_ARRAY" = "INVALID_OPTION"): T {
  try {
    return read();
  } catch (cause) {
    throw new TwoLayerError(code, `reading ${what} threw: ${cause instanceof Error ? cause.message : describe(cause)}`, { cause });
  }
}

/**
 * Reads an options argument once: `undefined` is no options; anything but a plain object is
 * refused; only its own enumerable string keys count (inherited and symbol keys are ignored, so
 * a polluted Object.prototype changes nothing); a name not in `known` is refused with a "did you
 * mean"; each value is read exactly once (a getter runs once). Later checks look only at what this
 * returns.
 */
export function readOptions(options: unknown, what: string, known: readonly string[]): OptionValues {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object" || !reading(`${what}'s options`, () => isPlainObject(options))) {
    const plain = options !== null && typeof options === "object" && !Array.isArray(options) ? "; pass a plain object ({ … })" : "";
    throw new TwoLayerError("INVALID_OPTION", `${what} takes an options object, got ${describe(options)}${plain}`);
  }
  const values: Record<string, unknown> = Object.create(null);
  for (const key of reading(`${what}'s option names`, () => Object.keys(options))) {
    if (!known.includes(key)) {
      const guess = closest(key, known);
      throw new TwoLayerError(
        "UNKNOWN_OPTION",
        `${what} has no option "${key}"${guess ? `; did you mean "${guess}"?` : ""} (options: ${known.join(", ")})`,
      );
    }
    values[key] = reading(`option "${key}"`, () => (options as Record<string, unknown>)[key]);
  }
  return values;
}

/** An integer in [min, max], or `fallback` when undefined. */
export function integer(name: string, value: unknown, fallback: number, min: number, max: number, meaning: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw invalidOption(name, `an integer from ${min} to ${max}`, value, meaning);
  }
  return value;
}

/** A finite number ≥ 0, or `fallback` when undefined. */
export function nonNegative(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw invalidOption(name, "a finite number ≥ 0", value);
  return value;
}

/** One of `allowed`, or `fallback` when undefined. */
export function oneOf<T extends string | boolean>(name: string, value: unknown, fallback: T, allowed: readonly T[]): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw invalidOption(name, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`, value);
  return value as T;
}

/** An integer in [1, max] or "auto", or `fallback` when undefined. */
export function countOrAuto(name: string, value: unknown, fallback: number | "auto", max: number): number | "auto" {
  if (value === undefined) return fallback;
  if (value === "auto") return value;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    throw invalidOption(name, `an integer from 1 to ${max} or "auto"`, value);
  }
  return value;
}

/** A function, or undefined. */
export function optionalFunction<F>(name: string, value: unknown, signature: string): F | undefined {
  if (value !== undefined && typeof value !== "function") throw invalidOption(name, `a function ${signature}`, value);
  return value as F | undefined;
}

/** An AbortSignal (anything with a boolean `aborted` and `addEventListener`), or undefined. */
export function optionalSignal(name: string, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  const signal = value as { aborted?: unknown; addEventListener?: unknown } | null;
  if (signal === null || typeof signal !== "object" || typeof signal.aborted !== "boolean" || typeof signal.addEventListener !== "function") {
    throw invalidOption(name, "an AbortSignal (new AbortController().signal)", value);
  }
  return value as AbortSignal;
}

/**
 * A user matrix, copied once: array-like of numbers (Float64Array, Float32Array or number[]),
 * rows×cols long, finite unless allowed, and inside float32's range for an f32 network (where it
 * would otherwise become ±Infinity). Its length and each element are read exactly once, into a copy
 * of the network's element type (rounding to float32 as storing it would); the copy is what is
 * checked and what the network loads.
 */
export function userArray(name: string, value: unknown, [rows, cols]: [number, number], allowNonFinite: boolean, dtype: DType = "f64"): FloatArray {
  return copyUserArray(name, value, allowNonFinite, dtype, "pass finite values, or allowNonFinite: true to train on them anyway", (length) =>
    length === rows * cols ? undefined : `${name} must hold ${rows}×${cols} = ${rows * cols} numbers (row-major), got ${length}`,
  );
}

/**
 * Rows of a user matrix whose width is known and whose height is not (`net.predict`'s x): copied
 * once as userArray copies, its length a whole number ≥ 1 of rows of `cols` numbers, every value
 * finite. Returns the copy and its row count.
 */
export function userRows(name: string, value: unknown, cols: number, dtype: DType, meaning: string): { data: FloatArray; rows: number } {
  const data = copyUserArray(name, value, false, dtype, "pass finite values", (length) => {
    if (length === 0) return `${name} must hold at least one row of ${meaning} = ${cols} numbers, got none`;
    if (length % cols !== 0) {
      return `${name} must hold whole rows of ${meaning} = ${cols} numbers (rows × ${cols}, row-major), got ${length}, which leaves ${length % cols} over`;
    }
    return undefined;
  });
  return { data, rows: data.length / cols };
}

/**
 * The copy both userArray and userRows make: `lengthProblem` says what is wrong with the length
 * (read once), or undefined when it is right; `nonFiniteHint` what to do about a NaN or ±Infinity.
 */
function copyUserArray(
  name: string,
  value: unknown,
  allowNonFinite: boolean,
  dtype: DType,
  nonFiniteHint: string,
  lengthProblem: (length: number) => string | undefined,
): FloatArray {
  const typed = reading(name, () => isFloatArray(value));
  if (!typed && !reading(name, () => Array.isArray(value))) {
    throw new TwoLayerError("INVALID_ARRAY", `${name} must be a Float64Array, Float32Array or array of numbers, got ${describe(value)}`, { option: name });
  }
  const source = value as ArrayLike<unknown>;
  if (typed && isDetached(source)) throw detachedError(name);
  const length = typed ? typedArrayLength(source as FloatArray) : reading(`${name}.length`, () => source.length);
  const problem = lengthProblem(length);
  if (problem !== undefined) throw new TwoLayerError("INVALID_ARRAY", problem, { option: name });
  const copy = allocate(name, dtype, length);
  // A typed array's elements cannot be getters: one bulk copy reads each once. An array's may be
  // (or a proxy's traps): read each once, in order, and say which one threw.
  if (typed) copy.set(source as FloatArray);
  else copyElements(name, source, copy);
  for (let i = 0; i < length; i++) {
    if (Number.isFinite(copy[i])) continue;
    // A finite value that became ±Infinity in the copy was beyond float32's range (a typed array
    // cannot change under us, so reading it again here is safe).
    if (typed && Number.isFinite((source as FloatArray)[i])) throw beyondFloat32(name, i, (source as FloatArray)[i]);
    if (!allowNonFinite) {
      throw new TwoLayerError("INVALID_ARRAY", `${name}[${i}] is ${copy[i]}; ${nonFiniteHint}`, { option: name });
    }
  }
  return copy;
}

/**
 * A copy of `length` elements, or OUT_OF_MEMORY when the engine cannot make one: a sparse array
 * or a proxy may claim billions of elements it does not hold, and the copy is made before any is read.
 */
function allocate(name: string, dtype: DType, length: number): FloatArray {
  try {
    return new DTYPES[dtype].Array(length);
  } catch (cause) {
    throw new TwoLayerError("OUT_OF_MEMORY", `${name} claims ${length} elements, more than this engine can copy into a ${DTYPES[dtype].Array.name}`, { option: name, cause });
  }
}

function beyondFloat32(name: string, i: number, v: number): TwoLayerError {
  return new TwoLayerError("INVALID_ARRAY", `${name}[${i}] is ${v}, beyond float32's range (±3.4028234663852886e+38) of dtype "f32"; scale the data, or use dtype "f64"`, { option: name });
}

/** Copies an array's elements, each read once, refusing any that is not a number. */
function copyElements(name: string, source: ArrayLike<unknown>, copy: FloatArray): void {
  let i = 0;
  try {
    for (; i < copy.length; i++) {
      const v = source[i];
      if (typeof v !== "number") throw new TwoLayerError("INVALID_ARRAY", `${name}[${i}] must be a number, got ${describe(v)}`, { option: name });
      copy[i] = v;
      if (Number.isFinite(v) && !Number.isFinite(copy[i])) throw beyondFloat32(name, i, v);
    }
  } catch (cause) {
    if (cause instanceof TwoLayerError) throw cause;
    throw new TwoLayerError("INVALID_ARRAY", `reading ${name}[${i}] threw: ${cause instanceof Error ? cause.message : describe(cause)}`, { option: name, cause });
  }
}
