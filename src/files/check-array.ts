import { describe, detachedError, TwoLayerError } from "../errors.js";
import { isArrayBuffer, isDetached, isFloatArray, ownView, typedArrayKind, typedArrayLength } from "../realm.js";
import { reading } from "../validate.js";
import type { NdArray, NdArrays } from "./types.js";

// The writers check what they are given here, before any byte is written.

/**
 * Checks that `array` is `{ data: Float64Array | Float32Array, shape }` with shape's product equal to
 * data.length, and returns what the writer then reads: `data` as a view of this realm's class over
 * the same memory (any realm's typed arrays are taken; a subclass's own `length` is not believed) and
 * a copy of `shape`, each of its entries read once.
 */
export function checkArray(array: unknown, name: string): NdArray {
  if (typeof array !== "object" || array === null) {
    throw new TwoLayerError("INVALID_ARRAY", `${name} must be { data, shape }, got ${describe(array)}`);
  }
  const data = reading(`${name}.data`, () => (array as { data?: unknown }).data, "INVALID_ARRAY");
  const shape = reading(`${name}.shape`, () => (array as { shape?: unknown }).shape, "INVALID_ARRAY");
  if (!isFloatArray(data)) {
    throw new TwoLayerError("INVALID_ARRAY", `${name}.data must be a Float64Array or Float32Array, got ${describe(data)}`);
  }
  if (isDetached(data)) throw detachedError(`${name}.data`);
  if (!reading(`${name}.shape`, () => Array.isArray(shape), "INVALID_ARRAY")) {
    throw new TwoLayerError("INVALID_ARRAY", `${name}.shape must be an array of sizes, got ${describe(shape)}`);
  }
  const sizes = readSizes(shape as unknown[], name);
  const length = typedArrayLength(data);
  const count = sizes.reduce((product, size) => product * size, 1);
  if (count !== length) {
    throw new TwoLayerError("INVALID_ARRAY", `${name}.shape [${sizes.join(", ")}] holds ${count} elements but ${name}.data has ${length}`);
  }
  return { data: typedArrayKind(data) === "Float64Array" ? ownView(data as Float64Array, Float64Array) : ownView(data as Float32Array, Float32Array), shape: sizes };
}

/** A shape's sizes, each read once (an entry may be a getter), each an integer ≥ 0. */
function readSizes(shape: unknown[], name: string): number[] {
  const sizes: number[] = [];
  const count = reading(`${name}.shape.length`, () => shape.length, "INVALID_ARRAY");
  for (let i = 0; i < count; i++) {
    const size = reading(`${name}.shape[${i}]`, () => shape[i], "INVALID_ARRAY");
    if (!Number.isSafeInteger(size) || (size as number) < 0) {
      throw new TwoLayerError("INVALID_ARRAY", `${name}.shape[${i}] must be an integer ≥ 0, got ${describe(size)}`);
    }
    sizes.push(size as number);
  }
  return sizes;
}

/** Checks a name → array record (it may be empty) and every array in it; returns [name, array] pairs. */
export function checkArrays(arrays: unknown, what: string): [string, NdArray][] {
  if (typeof arrays !== "object" || arrays === null || reading(what, () => Array.isArray(arrays), "INVALID_ARRAY") || ArrayBuffer.isView(arrays)) {
    throw new TwoLayerError("INVALID_ARRAY", `${what} takes an object of named arrays ({ w1: { data, shape } }), got ${describe(arrays)}`);
  }
  return reading(what, () => Object.entries(arrays as NdArrays), "INVALID_ARRAY").map(([name, array]) => {
    // A lone surrogate has no UTF-8 form: the name would silently change in the file.
    if (/\p{Surrogate}/u.test(name)) throw new TwoLayerError("INVALID_ARRAY", `${what}: the name ${JSON.stringify(name)} is not valid Unicode`);
    return [name, checkArray(array, JSON.stringify(name))];
  });
}

/**
 * The bytes of a file argument: a Uint8Array (Node's Buffer is one) or an ArrayBuffer, of any realm,
 * as a Uint8Array of this realm over the same memory (a subclass's own `length` is not believed).
 */
export function fileBytes(bytes: unknown, what: string, takes = "the file's bytes as a Uint8Array or ArrayBuffer"): Uint8Array {
  if (isDetached(bytes)) throw detachedError(what);
  if (typedArrayKind(bytes) === "Uint8Array") return ownView(bytes as Uint8Array, Uint8Array);
  if (isArrayBuffer(bytes)) return new Uint8Array(bytes);
  throw new TwoLayerError("INVALID_ARRAY", `${what} takes ${takes}, got ${describe(bytes)}`);
}
