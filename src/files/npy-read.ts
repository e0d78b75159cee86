import { decodeElements, type ElementType } from "./elements.js";
import { bytesText, firstBytes, invalidFile, quoted } from "./invalid.js";
import { parsePythonLiteral, type PyValue } from "./python-literal.js";
import type { NdArray } from "./types.js";

// numpy's .npy format (numpy/lib/format.py, "NPY format"): the magic "\x93NUMPY", a major and minor
// version byte, the header's length (2 bytes little-endian in version 1.0, 4 bytes in 2.0 and 3.0),
// the header (a Python dict literal: latin-1 in 1.0 and 2.0, UTF-8 in 3.0), then the data.
// Every length the file claims is checked against the bytes it has before anything is allocated.

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
// A plain array's header is under 2 kB (64 dimensions of 20 digits); only structured dtypes, which we
// refuse anyway, need more. We stop at 1 MiB so that a hostile header cannot make us parse gigabytes.
const MAX_HEADER = 1 << 20;

/** Whether `bytes` starts with the .npy magic string. */
export function isNpy(bytes: Uint8Array): boolean {
  return MAGIC.every((b, i) => bytes[i] === b);
}

// What numpy's dtype letters mean, for the message that refuses them.
const KIND_NAMES: Record<string, string> = {
  c: "complex",
  O: "Python objects (pickled)",
  U: "unicode strings",
  S: "byte strings",
  a: "byte strings",
  V: "raw bytes or a structured dtype",
  M: "datetime64",
  m: "timedelta64",
  f: "a float size we do not read",
};

const WE_READ = "we read float64 and float32 (either byte order), integers (i1, i2, i4, i8, u1, u2, u4, u8) and bool (b1)";

/** Reads a numpy dtype string ('<f8', '>i4', '|b1') as an element type, or says which dtype it found. */
export function npyElementType(descr: PyValue, part: string): ElementType {
  if (typeof descr !== "string") {
    const what = typeof descr === "object" && descr !== null && descr.kind === "list" ? "a structured dtype (a list of fields)" : "not a dtype string";
    throw invalidFile(part, `descr is ${what}; ${WE_READ}; save a plain numeric array instead`);
  }
  const match = /^([<>|=])([a-zA-Z])([0-9]*)(.*)$/s.exec(descr);
  const kind = match?.[2] ?? "";
  const size = Number(match?.[3]);
  const plain = match !== null && match[4] === "";
  const supported = plain && ((kind === "f" && (size === 4 || size === 8)) || ((kind === "i" || kind === "u") && [1, 2, 4, 8].includes(size)) || (kind === "b" && size === 1));
  if (match === null || !supported) {
    const name = kind === "f" && size === 2 ? "float16" : kind === "f" && size > 8 ? "long double" : KIND_NAMES[kind] ?? "a dtype we do not know";
    throw invalidFile(part, `dtype '${descr.slice(0, 40)}' (${name}) is not one we read; ${WE_READ}; convert it in numpy, e.g. x.astype(np.float64)`);
  }
  const order = match![1];
  if (order === "=" && size > 1) {
    throw invalidFile(part, `dtype '${descr}' has byte order '=' (the writer's own), which a file cannot tell us; numpy writes '<' or '>'`);
  }
  return { kind: kind as ElementType["kind"], size: size as ElementType["size"], littleEndian: order !== ">" };
}

/** The number of elements of `shape` (a Python tuple of integers ≥ 0), checked to stay a safe integer. */
function shapeOf(value: PyValue, part: string): number[] {
  if (typeof value !== "object" || value === null || value.kind !== "tuple") {
    throw invalidFile(part, "shape is not a tuple of sizes");
  }
  return value.items.map((size, i) => {
    if (typeof size === "bigint" && size > 0n) {
      throw invalidFile(part, `shape[${i}] is ${size}, more than the 2^53 − 1 elements an array can hold here`);
    }
    if (typeof size !== "number" || size < 0) {
      throw invalidFile(part, `shape[${i}] is ${pythonText(size)}, not a size (an integer ≥ 0)`);
    }
    return size;
  });
}

/** A header value for a message, as Python would show it: integers with all their digits, strings quoted and cut. */
function pythonText(value: PyValue): string {
  if (typeof value === "string") return quoted(value);
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value === null) return "None";
  return `a ${value.kind}`;
}

/** Returns the element count of `shape`, or throws when shape × itemsize would pass 2^53 bytes. */
export function elementCount(shape: number[], itemSize: number, part: string): number {
  let count = 1;
  for (const size of shape) {
    count *= size;
    if (count * itemSize > Number.MAX_SAFE_INTEGER) {
      throw invalidFile(part, `shape (${shape.join(", ")}) describes more than 2^53 bytes`);
    }
  }
  return count;
}

/** The header text: latin-1 in versions 1.0 and 2.0, UTF-8 in 3.0. */
function headerText(bytes: Uint8Array, utf8: boolean, part: string): string {
  if (!utf8) {
    // Byte by byte: TextDecoder's "latin1" is windows-1252, which maps 0x80–0x9F elsewhere.
    let text = "";
    for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
    return text;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw invalidFile(part, "is not valid UTF-8 (version 3.0 headers are UTF-8)", cause);
  }
}

/**
 * Reads one .npy file (versions 1.0, 2.0, 3.0): `{ data, shape }`, row-major; a Fortran-ordered
 * file (`fortran_order: True`, as `np.save(x.T)` writes) is reordered to row-major. `where` names
 * the file in messages ("npy", or `npz member "w1.npy"` when it comes from an archive). Any
 * malformed or unsupported file throws a `TwoLayerError` with code `INVALID_FILE`.
 */
export function readNpy(bytes: Uint8Array, where = "npy"): NdArray {
  return readNpyStored(bytes, where).array;
}

/** readNpy, and the element type the file stores (weights refuse integers: a quantized tensor read as its raw integers is garbage). */
export function readNpyStored(bytes: Uint8Array, where = "npy"): { array: NdArray; stored: ElementType } {
  const part = `${where} header`;
  const magicSoFar = MAGIC.slice(0, Math.min(bytes.length, MAGIC.length)).every((b, i) => bytes[i] === b);
  if (!magicSoFar || bytes.length === 0) {
    throw invalidFile(where, `not an .npy file: it does not start with \\x93NUMPY but with ${firstBytes(bytes)}`);
  }
  if (bytes.length < 10) {
    throw invalidFile(part, `the file is ${bytesText(bytes.length)}, shorter than the 10-byte start of any .npy (truncated)`);
  }
  const [major, minor] = [bytes[6], bytes[7]];
  if (!((major === 1 || major === 2 || major === 3) && minor === 0)) {
    throw invalidFile(part, `format version ${major}.${minor} is not one we read (1.0, 2.0, 3.0)`);
  }
  const lengthBytes = major === 1 ? 2 : 4;
  const start = 8 + lengthBytes;
  if (bytes.length < start) throw invalidFile(part, `the file ends inside the 4-byte header length (truncated)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > bytes.length - start) {
    throw invalidFile(part, `claims ${bytesText(headerLength)} but only ${bytesText(bytes.length - start)} follow the length field (truncated?)`);
  }
  if (headerLength > MAX_HEADER) {
    throw invalidFile(part, `is ${bytesText(headerLength)}, more than the ${MAX_HEADER} any array we read needs (numpy itself refuses headers over 10000 bytes by default)`);
  }
  const text = headerText(bytes.subarray(start, start + headerLength), major === 3, part);
  const header = parsePythonLiteral(text, part);
  if (typeof header !== "object" || header === null || header.kind !== "dict") throw invalidFile(part, "is not a dict");
  const keys = [...header.entries.keys()].sort();
  if (keys.join() !== "descr,fortran_order,shape") {
    throw invalidFile(part, `has the keys [${keys.join(", ")}]; an .npy header has exactly descr, fortran_order and shape`);
  }
  const type = npyElementType(header.entries.get("descr")!, part);
  const fortran = header.entries.get("fortran_order");
  if (typeof fortran !== "boolean") throw invalidFile(part, "fortran_order is not True or False");
  const shape = shapeOf(header.entries.get("shape")!, part);
  const count = elementCount(shape, type.size, part);

  const dataStart = start + headerLength;
  const need = count * type.size;
  const have = bytes.length - dataStart;
  if (have !== need) {
    throw invalidFile(
      `${where} data`,
      `shape (${shape.join(", ")}) of ${bytesText(type.size)} elements needs ${bytesText(need)} but ${bytesText(have)} follow the header` +
        (have < need ? " (the file is truncated)" : " (extra bytes after the array: one array per .npy; use np.savez for several)"),
    );
  }
  const data = decodeElements(bytes.subarray(dataStart), type, count, `${where} data`);
  return { array: { data: fortran ? fortranToRowMajor(data, shape) : data, shape }, stored: type };
}

/**
 * Reorders column-major (Fortran) elements of `shape` into row-major order. In Fortran order the
 * first index varies fastest, so element (i0, …, ik) sits at i0 + d0·(i1 + d1·(i2 + …)).
 */
export function fortranToRowMajor<T extends Float64Array | Float32Array>(src: T, shape: number[]): T {
  const out = new (src.constructor as { new (n: number): T })(src.length);
  if (shape.length < 2 || src.length === 0) {
    out.set(src);
    return out;
  }
  const rank = shape.length;
  const stride = new Array<number>(rank);
  stride[0] = 1;
  for (let k = 1; k < rank; k++) stride[k] = stride[k - 1] * shape[k - 1];
  // An odometer over the row-major index, keeping the Fortran offset alongside it.
  const index = new Array<number>(rank).fill(0);
  const last = shape[rank - 1];
  const lastStride = stride[rank - 1];
  let offset = 0;
  for (let o = 0; o < out.length; o += last) {
    for (let j = 0; j < last; j++) out[o + j] = src[offset + j * lastStride];
    for (let k = rank - 2; k >= 0; k--) {
      offset += stride[k];
      if (++index[k] < shape[k]) break;
      offset -= stride[k] * shape[k];
      index[k] = 0;
    }
  }
  return out;
}
