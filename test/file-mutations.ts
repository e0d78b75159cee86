// Mutations of valid files for fast-check property tests (test/files-properties.test.ts and
// test/weights-properties.test.ts): truncate, flip or set bytes, write extreme numbers over header
// fields (found in the unmutated file), insert, delete or copy bytes.
import fc from "fast-check";

// The numbers a mutation writes over a header field: the values that break length checks.
const EXTREMES = [0, 1, 2, 7, 8, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 2 ** 31, 2 ** 53];

export type Mutation =
  | { kind: "truncate"; at: number }
  | { kind: "flip"; at: number; bit: number }
  | { kind: "set"; at: number; value: number }
  | { kind: "number"; at: number; width: 2 | 4 | 8; value: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "delete"; at: number; count: number }
  | { kind: "copy"; from: number; at: number; count: number }
  | { kind: "field"; which: number; value: number };

// The length, size, offset and count fields of each file (byte offset, width), found in the
// unmutated file, so that a "field" mutation hits one far more often than chance would.
function fields(file: Uint8Array): [number, number][] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file[0] === 0x93) return [[8, file[6] === 1 ? 2 : 4]];
  if (file[0] !== 0x50) return [[0, 8], [0, 4]];
  const out: [number, number][] = [];
  const eocd = file.length - 22;
  for (const at of [8, 10]) out.push([eocd + at, 2]);
  for (const at of [12, 16]) out.push([eocd + at, 4]);
  let at = view.getUint32(eocd + 16, true);
  for (let i = 0; i < view.getUint16(eocd + 10, true); i++) {
    const local = view.getUint32(at + 42, true);
    for (const f of [10, 28, 30, 32]) out.push([at + f, 2]);
    for (const f of [16, 20, 24, 42]) out.push([at + f, 4]);
    for (const f of [8, 26, 28]) out.push([local + f, 2]);
    for (const f of [14, 18, 22]) out.push([local + f, 4]);
    for (const f of [34, 42]) out.push([local + f, 4]); // numpy's ZIP64 extra: the 8-byte sizes
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return out;
}

// Positions as fractions of the file, half of them in the first 160 or last 120 bytes, where the
// headers and the zip directory are.
const position = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }).map((f) => ({ f })), fc.integer({ min: 0, max: 159 }).map((head) => ({ head })), fc.integer({ min: 1, max: 120 }).map((tail) => ({ tail })));
type Position = { f?: number; head?: number; tail?: number };
const place = (p: Position, length: number) => Math.min(length, p.f !== undefined ? Math.floor(p.f * length) : p.head !== undefined ? p.head : Math.max(0, length - p.tail!));

export const mutation = fc.oneof(
  fc.record({ kind: fc.constant("truncate" as const), at: position }),
  fc.record({ kind: fc.constant("flip" as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant("set" as const), at: position, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("number" as const), at: position, width: fc.constantFrom(2 as const, 4 as const, 8 as const), value: fc.oneof(fc.constantFrom(...EXTREMES), fc.nat()) }),
  fc.record({ kind: fc.constant("insert" as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant("delete" as const), at: position, count: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("copy" as const), from: position, at: position, count: fc.integer({ min: 1, max: 64 }) }),
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("field" as const), which: fc.nat(), value: fc.oneof(fc.constantFrom(...EXTREMES), fc.nat({ max: 4096 })) }) },
);

function writeNumber(file: Uint8Array, at: number, width: number, value: number): Uint8Array {
  const out = file.slice();
  for (let i = 0; i < width && at + i < out.length; i++) {
    out[at + i] = value % 256;
    value = Math.floor(value / 256);
  }
  return out;
}

export function mutate(file: Uint8Array, m: { kind: string } & Record<string, unknown>, base: Uint8Array): Uint8Array {
  if (m.kind === "field") {
    const all = fields(base);
    const [at, width] = all[(m.which as number) % all.length];
    return writeNumber(file, at, width, m.value as number);
  }
  const at = place(m.at as Position, file.length);
  switch (m.kind) {
    case "truncate":
      return file.slice(0, at);
    case "flip": {
      const out = file.slice();
      if (at < out.length) out[at] ^= 1 << (m.bit as number);
      return out;
    }
    case "set": {
      const out = file.slice();
      if (at < out.length) out[at] = m.value as number;
      return out;
    }
    case "number":
      return writeNumber(file, at, m.width as number, m.value as number);
    case "insert": {
      const bytes = m.bytes as Uint8Array;
      const out = new Uint8Array(file.length + bytes.length);
      out.set(file.subarray(0, at));
      out.set(bytes, at);
      out.set(file.subarray(at), at + bytes.length);
      return out;
    }
    case "delete":
      return Uint8Array.from([...file.subarray(0, at), ...file.subarray(at + (m.count as number))]);
    default: {
      const from = place(m.from as Position, file.length);
      const out = file.slice();
      out.set(file.subarray(from, from + (m.count as number)).subarray(0, Math.max(0, out.length - at)), at);
      return out;
    }
  }
}
