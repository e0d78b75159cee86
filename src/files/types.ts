// The shapes every reader returns and every writer takes.

/**
 * An n-dimensional array: its elements in row-major (C) order and its shape. Readers always return a
 * fresh copy (never a view of the file's bytes): a `Float64Array` for float64, integer and bool
 * files, a `Float32Array` for float32 ones.
 */
export interface NdArray {
  /** The elements, row-major: the last index varies fastest. */
  data: Float64Array | Float32Array;
  /** The size of each dimension; `[]` for a scalar, which holds one element. */
  shape: number[];
}

/** Named arrays, as an `.npz` or `.safetensors` file holds them. */
export type NdArrays = Record<string, NdArray>;

/** Sets `out[name] = value` as an own property, so that a file's "__proto__" is just a name. */
export function putArray<T>(out: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
}
