import { describe, TwoLayerError } from "../errors.js";
import type { NdArray, NdArrays } from "./types.js";

// The writers check what they are given here, before any byte is written.

/** Checks that `array` is `{ data: Float64Array | Float32Array, shape }` with shape's product equal to data.length. */
export function checkArray(array: unknown, name: string): NdArray {
  if (typeof array !== "object" || array === null) {
    throw new TwoLayerError("INVALID_ARRAY", `${name} must be { data, shape }, got ${describe(array)}`);
  }
  const { data, shape } = array as { data?: unknown; shape?: unknown };
  if (!(data instanceof Float64Array) && !(data instanceof Float32Array)) {
    throw new TwoLayerError("INVALID_ARRAY", `${name}.data must be a Float64Array or Float32Array, got ${describe(data)}`);
  }
  if (!Array.isArray(shape)) {
    throw new TwoLayerError("INVALID_ARRAY", `${name}.shape must be an array of sizes, got ${describe(shape)}`);
  }
  let count = 1;
  for (let i = 0; i < shape.length; i++) {
    const size = shape[i];
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new TwoLayerError("INVALID_ARRAY", `${name}.shape[${i}] must be an integer ≥ 0, got ${describe(size)}`);
    }
    count *= size;
  }
  if (count !== data.length) {
    throw new TwoLayerError(
      "INVALID_ARRAY",
      `${name}.shape [${shape.join(", ")}] holds ${count} elements but ${name}.data has ${data.length}`,
    );
  }
  return { data, shape: shape.slice() };
}

/** Checks a name → array record (it may be empty) and every array in it; returns [name, array] pairs. */
export function checkArrays(arrays: unknown, what: string): [string, NdArray][] {
  if (typeof arrays !== "object" || arrays === null || Array.isArray(arrays) || ArrayBuffer.isView(arrays)) {
    throw new TwoLayerError("INVALID_ARRAY", `${what} takes an object of named arrays ({ w1: { data, shape } }), got ${describe(arrays)}`);
  }
  return Object.entries(arrays as NdArrays).map(([name, array]) => {
    // A lone surrogate has no UTF-8 form: the name would silently change in the file.
    if (/\p{Surrogate}/u.test(name)) throw new TwoLayerError("INVALID_ARRAY", `${what}: the name ${JSON.stringify(name)} is not valid Unicode`);
    return [name, checkArray(array, JSON.stringify(name))];
  });
}

// Brand checks that look at internal slots, so they hold for bytes made in another realm (an
// iframe, node:vm) and cannot be fooled by an object's own Symbol.toStringTag.
const typedArrayName = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!.get!;
const arrayBufferLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength")!.get!;

/** The bytes of a file argument: a Uint8Array (Node's Buffer is one) or an ArrayBuffer (a detached one is empty). */
export function fileBytes(bytes: unknown, what: string): Uint8Array {
  if (ArrayBuffer.isView(bytes) && typedArrayName.call(bytes) === "Uint8Array") return bytes as Uint8Array;
  let length: number | undefined;
  try {
    length = arrayBufferLength.call(bytes) as number; // throws for anything but an ArrayBuffer
  } catch {
    length = undefined;
  }
  // A detached ArrayBuffer has length 0, and new Uint8Array(detached) would throw a TypeError.
  if (length !== undefined) return length === 0 ? new Uint8Array(0) : new Uint8Array(bytes as ArrayBuffer);
  throw new TwoLayerError("INVALID_ARRAY", `${what} takes the file's bytes as a Uint8Array or ArrayBuffer, got ${describe(bytes)}`);
}
