import { TwoLayerError, describe } from "../errors.js";
import { checkArrays } from "./check-array.js";
import { littleEndianBytes } from "./npy-write.js";
import type { NdArrays } from "./types.js";

// We lay the file out as the Rust implementation's `serialize` does (safetensors/src/tensor.rs,
// `prepare`), so our bytes equal `safetensors.numpy.save_file`'s for the same arrays: tensors sorted
// by dtype, larger alignment first (F64 before F32), then by name; data packed in that order; the
// JSON header compact, `__metadata__` first, each tensor's fields in the order dtype, shape,
// data_offsets; the header padded with spaces to a multiple of 8 bytes.

/**
 * Writes named arrays as a .safetensors file: F64 for a Float64Array, F32 for a Float32Array, the
 * elements' exact bits; `metadata` (string → string) goes in `__metadata__`. The bytes are those
 * Python's `safetensors` writes for the same arrays. A bad argument throws a `TwoLayerError` with
 * code `INVALID_ARRAY`.
 */
export function writeSafetensors(arrays: NdArrays, metadata?: Record<string, string>): Uint8Array {
  const entries = checkArrays(arrays, "writeSafetensors");
  if (metadata !== undefined) {
    const ok = typeof metadata === "object" && metadata !== null && !Array.isArray(metadata) && Object.values(metadata).every((v) => typeof v === "string");
    if (!ok) throw new TwoLayerError("INVALID_ARRAY", `writeSafetensors: metadata must be an object of strings, got ${describe(metadata)}`);
  }
  if (entries.some(([name]) => name === "__metadata__")) {
    throw new TwoLayerError("INVALID_ARRAY", 'writeSafetensors: "__metadata__" is reserved for the metadata, not a tensor name');
  }
  const is64 = (data: Float64Array | Float32Array) => (data instanceof Float64Array ? 1 : 0);
  // Rust compares names as UTF-8 bytes, which orders as code points; JavaScript's < compares UTF-16 units.
  const byCodePoints = (a: string, b: string) => {
    const x = [...a].map((c) => c.codePointAt(0)!);
    const y = [...b].map((c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  };
  entries.sort(([an, a], [bn, b]) => is64(b.data) - is64(a.data) || byCodePoints(an, bn));

  // We join the JSON by hand: JSON.stringify of an object would move integer-like names ("0", "10")
  // to the front, and Rust writes them in data order.
  const fields: string[] = [];
  if (metadata !== undefined) {
    const pairs = Object.entries(metadata).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
    fields.push(`"__metadata__":{${pairs.join(",")}}`);
  }
  let offset = 0;
  for (const [name, { data, shape }] of entries) {
    const info = { dtype: data instanceof Float64Array ? "F64" : "F32", shape, data_offsets: [offset, offset + data.byteLength] };
    fields.push(`${JSON.stringify(name)}:${JSON.stringify(info)}`);
    offset += data.byteLength;
  }
  const json = new TextEncoder().encode(`{${fields.join(",")}}`);
  const headerLength = json.length + ((8 - (json.length % 8)) % 8);
  if (headerLength > 100_000_000) {
    throw new TwoLayerError("INVALID_ARRAY", "writeSafetensors: the header (the names and shapes) passes the 100 MB safetensors allows");
  }
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setUint32(0, headerLength, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const [, { data }] of entries) {
    out.set(littleEndianBytes(data), at);
    at += data.byteLength;
  }
  return out;
}
