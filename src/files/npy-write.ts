import { TwoLayerError } from "../errors.js";
import { checkArray } from "./check-array.js";
import type { NdArray } from "./types.js";

// We write .npy version 1.0 exactly as np.save does (numpy/lib/format.py, _write_array_header and
// _wrap_header), so our bytes equal numpy's for the same array:
// - the dict with sorted keys and repr'd values, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }";
// - spaces for growing the first axis in place (21 digits minus those of shape[0], none for a scalar);
// - spaces and a final '\n' so that magic + length + header is a multiple of 64 bytes.

const GROWTH_AXIS_MAX_DIGITS = 21;
const ARRAY_ALIGN = 64;
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Python's repr of a shape tuple: "()", "(3,)", "(3, 4)". */
function shapeRepr(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** The 1.0 header numpy writes for a C-ordered array of `descr` and `shape`, magic to final '\n'. */
export function npyHeader(descr: string, shape: number[]): Uint8Array {
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeRepr(shape)}, }`;
  if (shape.length > 0) dict += " ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  const withNewline = dict.length + 1;
  const pad = ARRAY_ALIGN - ((10 + withNewline) % ARRAY_ALIGN);
  const length = withNewline + pad;
  if (length > 0xffff) throw new TwoLayerError("INVALID_ARRAY", `a shape of ${shape.length} dimensions does not fit an .npy 1.0 header`);
  const text = dict + " ".repeat(pad) + "\n";
  const out = new Uint8Array(10 + length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, length & 0xff, length >> 8]);
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  return out;
}

/** The little-endian bytes of a float array, copied. */
export function littleEndianBytes(data: Float64Array | Float32Array): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  if (!HOST_LITTLE_ENDIAN) {
    const size = data.BYTES_PER_ELEMENT;
    for (let e = 0; e < bytes.length; e += size) bytes.subarray(e, e + size).reverse();
  }
  return bytes;
}

/**
 * Writes `{ data, shape }` as an .npy file (version 1.0, C order): `<f8` for a Float64Array, `<f4`
 * for a Float32Array, the elements' exact bits. The bytes are those `np.save` writes for the same
 * array. A wrong argument throws a `TwoLayerError` with code `INVALID_ARRAY`.
 */
export function writeNpy(array: NdArray): Uint8Array {
  const { data, shape } = checkArray(array, "array");
  const header = npyHeader(data instanceof Float64Array ? "<f8" : "<f4", shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header);
  out.set(littleEndianBytes(data), header.length);
  return out;
}
