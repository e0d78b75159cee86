import { decodeElements, type ElementType } from "./elements.js";
import { bytesText, invalidFile, quoted, shortened } from "./invalid.js";
import { elementCount } from "./npy-read.js";
import { putArray, type NdArray, type NdArrays } from "./types.js";

// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N
// bytes of UTF-8 JSON { name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: { str: str } },
// then the data, little-endian and row-major. We check what the Rust reader checks (header at most
// 100 MB and inside the file; the tensors' byte ranges, sorted, tile the data exactly from 0 to its
// end; each range holds shape × dtype size bytes) and say which tensor broke which rule.

const MAX_HEADER = 100_000_000; // the Rust implementation's MAX_HEADER_SIZE

const TYPES: Record<string, ElementType> = {
  F64: { kind: "f", size: 8, littleEndian: true },
  F32: { kind: "f", size: 4, littleEndian: true },
  I64: { kind: "i", size: 8, littleEndian: true },
  I32: { kind: "i", size: 4, littleEndian: true },
  I16: { kind: "i", size: 2, littleEndian: true },
  I8: { kind: "i", size: 1, littleEndian: true },
  U64: { kind: "u", size: 8, littleEndian: true },
  U32: { kind: "u", size: 4, littleEndian: true },
  U16: { kind: "u", size: 2, littleEndian: true },
  U8: { kind: "u", size: 1, littleEndian: true },
  BOOL: { kind: "b", size: 1, littleEndian: true },
};

/**
 * Whether `bytes` looks like a safetensors file: an 8-byte header length, then '{', with either a
 * length below 2^32 or a header that starts as the Rust writer's does, '{"' (or '{}'). We do not ask
 * the length to fit the file, so that a truncated file, or one whose length is damaged, is told so.
 */
export function isSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 9 || bytes[8] !== 0x7b) return false;
  const below32 = bytes[4] === 0 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0;
  return below32 || (bytes.length >= 10 && (bytes[9] === 0x22 || bytes[9] === 0x7d));
}

interface Tensor {
  name: string;
  type: ElementType;
  shape: number[];
  begin: number;
  end: number;
}

function parseHeader(bytes: Uint8Array): { header: Record<string, unknown>; dataStart: number } {
  const part = "safetensors header";
  if (bytes.length < 8) throw invalidFile(part, `the file is ${bytesText(bytes.length)}, shorter than the 8-byte header length (truncated)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const claimed = view.getBigUint64(0, true); // a BigInt, so that the message quotes it exactly
  const rest = bytes.length - 8;
  if (claimed > BigInt(MAX_HEADER)) {
    const beyond = claimed > BigInt(rest) ? `, and only ${bytesText(rest)} follow it: the file is truncated or its first 8 bytes (the header length) are damaged` : "";
    throw invalidFile(part, `claims ${claimed} bytes, more than the 100 MB safetensors allows${beyond}`);
  }
  const length = Number(claimed);
  if (length > rest) throw invalidFile(part, `claims ${bytesText(length)} but only ${bytesText(rest)} follow the length (truncated?)`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + length));
  } catch (cause) {
    throw invalidFile(part, "is not valid UTF-8", cause);
  }
  if (!text.startsWith("{")) throw invalidFile(part, "does not start with '{'");
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (cause) {
    throw invalidFile(part, `is not valid JSON (${(cause as Error).message})`, cause);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) throw invalidFile(part, "is not a JSON object");
  const twice = repeatedName(text);
  if (twice !== undefined) throw invalidFile(part, `the name ${JSON.stringify(twice)} appears twice; each tensor needs its own`);
  return { header: header as Record<string, unknown>, dataStart: 8 + length };
}

// JSON.parse keeps the last of two equal keys and says nothing, so we look for one ourselves: a scan
// of the (already valid) JSON for the keys of the top-level object.
function repeatedName(text: string): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  let atKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      if (depth === 1 && atKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (seen.has(key)) return key;
        seen.add(key);
        atKey = false;
      }
      i = end;
    } else if (c === "{" || c === "[") {
      atKey = ++depth === 1;
    } else if (c === "}" || c === "]") {
      depth--;
    } else if (c === "," && depth === 1) {
      atKey = true;
    }
  }
  return undefined;
}

function tensorOf(name: string, info: unknown): Tensor {
  const part = `safetensors tensor ${JSON.stringify(name)}`;
  if (typeof info !== "object" || info === null || Array.isArray(info)) throw invalidFile(part, "is not an object { dtype, shape, data_offsets }");
  const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (typeof dtype !== "string") throw invalidFile(part, "has no dtype string");
  const type = Object.hasOwn(TYPES, dtype) ? TYPES[dtype] : undefined;
  if (type === undefined) {
    throw invalidFile(part, `dtype ${quoted(dtype)} is not one we read; we read F64, F32, I8–I64, U8–U64 and BOOL; convert it to float32 or float64 before saving`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw invalidFile(part, `shape ${shortened(JSON.stringify(shape) ?? String(shape))} is not a list of sizes (integers ≥ 0)`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw invalidFile(part, `data_offsets ${shortened(JSON.stringify(offsets) ?? String(offsets))} is not [begin, end] (integers ≥ 0)`);
  }
  return { name, type, shape: shape as number[], begin: offsets[0], end: offsets[1] };
}

/** The string → string metadata of a safetensors file (`__metadata__`), or undefined when it has none. */
export function readSafetensorsMetadata(bytes: Uint8Array): Record<string, string> | undefined {
  return metadataOf(parseHeader(bytes).header);
}

function metadataOf(header: Record<string, unknown>): Record<string, string> | undefined {
  if (!Object.hasOwn(header, "__metadata__")) return undefined;
  const metadata = header.__metadata__;
  const ok = typeof metadata === "object" && metadata !== null && !Array.isArray(metadata) && Object.values(metadata).every((v) => typeof v === "string");
  if (!ok) throw invalidFile("safetensors header", "__metadata__ is not an object of strings");
  return metadata as Record<string, string>;
}

/**
 * Reads a .safetensors file into `{ name: { data, shape } }`: F64 and the integer and bool dtypes as
 * Float64Array, F32 as Float32Array. A malformed file, a dtype we do not read (F16, BF16, F8…) or
 * byte ranges that overlap, leave gaps or pass the end throw a `TwoLayerError` with code `INVALID_FILE`.
 */
export function readSafetensors(bytes: Uint8Array): NdArrays {
  const out: NdArrays = {};
  for (const [name, { array }] of Object.entries(readSafetensorsStored(bytes))) putArray(out, name, array);
  return out;
}

/** readSafetensors, with the element type each tensor stores. */
export function readSafetensorsStored(bytes: Uint8Array): Record<string, { array: NdArray; stored: ElementType }> {
  const { header, dataStart } = parseHeader(bytes);
  metadataOf(header);
  const tensors = Object.entries(header)
    .filter(([name]) => name !== "__metadata__")
    .map(([name, info]) => tensorOf(name, info))
    .sort((a, b) => a.begin - b.begin || a.end - b.end);
  const dataLength = bytes.length - dataStart;
  let next = 0;
  let before: Tensor | undefined;
  for (const t of tensors) {
    const part = `safetensors tensor ${JSON.stringify(t.name)}`;
    if (t.begin !== next || t.end < t.begin) {
      // We name the tensor it overlaps: one that shares its bytes may be any name, "__proto__" too.
      const overlapped = before === undefined ? "" : `, ${JSON.stringify(before.name)} (data_offsets [${before.begin}, ${before.end}])`;
      const why = t.begin < next ? `overlaps the tensor before it${overlapped}` : t.end < t.begin ? "ends before it begins" : `leaves bytes ${next}…${t.begin - 1} unused`;
      throw invalidFile(part, `data_offsets [${t.begin}, ${t.end}] ${why}; the tensors must tile the data exactly`);
    }
    if (t.end > dataLength) {
      throw invalidFile(part, `data_offsets [${t.begin}, ${t.end}] pass the end of the data (${bytesText(dataLength)}; truncated?)`);
    }
    const need = elementCount(t.shape, t.type.size, part) * t.type.size;
    if (t.end - t.begin !== need) {
      throw invalidFile(part, `shape [${t.shape.join(", ")}] needs ${bytesText(need)} but data_offsets [${t.begin}, ${t.end}] hold ${bytesText(t.end - t.begin)}`);
    }
    next = t.end;
    before = t;
  }
  if (next !== dataLength) {
    throw invalidFile("safetensors data", `the tensors cover ${bytesText(next)} but ${bytesText(dataLength)} follow the header`);
  }
  const out: Record<string, { array: NdArray; stored: ElementType }> = {};
  for (const t of tensors) {
    const count = (t.end - t.begin) / t.type.size;
    const data = decodeElements(bytes.subarray(dataStart + t.begin, dataStart + t.end), t.type, count, `safetensors tensor ${JSON.stringify(t.name)}`);
    putArray(out, t.name, { array: { data, shape: t.shape.slice() }, stored: t.type });
  }
  return out;
}
