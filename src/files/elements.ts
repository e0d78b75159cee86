import { invalidFile } from "./invalid.js";

// Turning a file's element bytes into the arrays we return. Floats keep their type (float64 stays
// float64, float32 stays float32) and their exact bits, NaN payloads included: we move bytes, we
// never read a float into a JavaScript number and back (that would quiet a float32 signalling NaN).
// Integers and bools become float64, exactly: a 64-bit integer a double cannot hold exactly is an
// error, never a silent rounding.

/** An element type we read: float (4 or 8 bytes), signed or unsigned integer (1–8 bytes), or bool. */
export interface ElementType {
  kind: "f" | "i" | "u" | "b";
  size: 1 | 2 | 4 | 8;
  littleEndian: boolean;
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The bytes of `count` elements of `size` bytes, copied into a fresh buffer in the host's byte order. */
function hostOrder(src: Uint8Array, size: number, count: number, littleEndian: boolean): ArrayBuffer {
  const out = new Uint8Array(size * count);
  if (size === 1 || littleEndian === HOST_LITTLE_ENDIAN) {
    out.set(src.subarray(0, size * count));
    return out.buffer;
  }
  for (let e = 0; e < out.length; e += size) {
    for (let b = 0; b < size; b++) out[e + b] = src[e + size - 1 - b];
  }
  return out.buffer;
}

/**
 * Decodes `count` elements of `type` from the start of `src` (which holds at least count × size
 * bytes; the callers check that against the file): a Float32Array for 4-byte floats, else a
 * Float64Array. `part` names the file part for errors (a bool byte other than 0 or 1, a 64-bit
 * integer a double cannot hold exactly).
 */
export function decodeElements(src: Uint8Array, type: ElementType, count: number, part: string): Float64Array | Float32Array {
  const { kind, size, littleEndian } = type;
  if (kind === "f") {
    const buffer = hostOrder(src, size, count, littleEndian);
    return size === 8 ? new Float64Array(buffer) : new Float32Array(buffer);
  }
  if (kind === "b") return decodeBool(src, count, part);
  if (size === 8) return decodeInt64(src, kind === "i", count, littleEndian, part);
  const buffer = hostOrder(src, size, count, littleEndian);
  const ints =
    kind === "i"
      ? size === 1 ? new Int8Array(buffer) : size === 2 ? new Int16Array(buffer) : new Int32Array(buffer)
      : size === 1 ? new Uint8Array(buffer) : size === 2 ? new Uint16Array(buffer) : new Uint32Array(buffer);
  return Float64Array.from(ints);
}

function decodeBool(src: Uint8Array, count: number, part: string): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const byte = src[i];
    if (byte > 1) throw invalidFile(part, `bool element ${i} is the byte ${byte}; a bool array holds only 0 and 1`);
    out[i] = byte;
  }
  return out;
}

// We combine the two 32-bit halves in double arithmetic, which is exact while the high half is
// below 2^21 in magnitude (the value below 2^53); beyond that we check with a BigInt that the
// double holds the value exactly, and refuse the file if it does not.
function decodeInt64(src: Uint8Array, signed: boolean, count: number, littleEndian: boolean, part: string): Float64Array {
  const view = new DataView(src.buffer, src.byteOffset, count * 8);
  const out = new Float64Array(count);
  const loAt = littleEndian ? 0 : 4;
  const hiAt = littleEndian ? 4 : 0;
  for (let i = 0; i < count; i++) {
    const at = i * 8;
    const lo = view.getUint32(at + loAt, littleEndian);
    const hi = signed ? view.getInt32(at + hiAt, littleEndian) : view.getUint32(at + hiAt, littleEndian);
    if (hi >= -0x200000 && hi < 0x200000) {
      out[i] = hi * 4294967296 + lo;
      continue;
    }
    const exact = signed ? view.getBigInt64(at, littleEndian) : view.getBigUint64(at, littleEndian);
    const value = Number(exact);
    if (BigInt(value) !== exact) {
      throw invalidFile(
        part,
        `${signed ? "int64" : "uint64"} element ${i} is ${exact}, which a float64 cannot hold exactly ` +
          `(it would round to ${BigInt(value)}); convert the array in numpy (x.astype(np.float64)) if that rounding is acceptable`,
      );
    }
    out[i] = value;
  }
  return out;
}
