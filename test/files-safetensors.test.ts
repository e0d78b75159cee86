// .safetensors: the header rules the Rust implementation enforces, each broken in turn.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TwoLayerError } from "../src/errors.js";
import { readArrays, readSafetensors, readSafetensorsMetadata, writeSafetensors } from "../src/files/index.js";

const fixture = (rel: string) => new Uint8Array(readFileSync(new URL(`./fixtures/files/${rel}`, import.meta.url)));

/** A safetensors file from a header (an object, or raw text) and data bytes. */
function st(header: unknown, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const text = new TextEncoder().encode(typeof header === "string" ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setUint32(0, text.length, true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}
const f8 = (...v: number[]) => new Uint8Array(Float64Array.from(v).buffer);
const tensor = (begin: number, end: number, shape = [(end - begin) / 8], dtype = "F64") => ({ dtype, shape, data_offsets: [begin, end] });

function invalid(bytes: Uint8Array, ...words: string[]): void {
  let error: unknown;
  try {
    readSafetensors(bytes);
  } catch (e) {
    error = e;
  }
  expect(error, `expected INVALID_FILE containing ${words.join(", ")}`).toBeInstanceOf(TwoLayerError);
  expect((error as TwoLayerError).code).toBe("INVALID_FILE");
  for (const w of words) expect((error as TwoLayerError).message).toContain(w);
}

describe("readSafetensors", () => {
  it("reads tensors listed in any order, sorting them by their offsets", () => {
    const arrays = readSafetensors(st({ b: tensor(16, 24), a: tensor(0, 16, [2, 1]) }, f8(1, 2, 3)));
    expect(Array.from(arrays.a.data)).toEqual([1, 2]);
    expect(arrays.a.shape).toEqual([2, 1]);
    expect(Array.from(arrays.b.data)).toEqual([3]);
  });

  it("reads a scalar, an empty tensor, unknown fields, and a __proto__ tensor as a name", () => {
    const arrays = readSafetensors(st({ s: { ...tensor(0, 8, []), extra: 1 }, e: tensor(8, 8, [0, 4]), ["__proto__"]: tensor(8, 16) }, f8(2.5, 7)));
    expect(arrays.s.shape).toEqual([]);
    expect(Array.from(arrays.s.data)).toEqual([2.5]);
    expect(arrays.e.data.length).toBe(0);
    expect(Object.getPrototypeOf(arrays)).toBe(Object.prototype);
    expect(Array.from(Object.getOwnPropertyDescriptor(arrays, "__proto__")!.value.data)).toEqual([7]);
  });

  it("reads every tensor of every fixture at an unaligned offset in a larger buffer", async () => {
    const inner = fixture("safetensors/ints.safetensors");
    const outer = new Uint8Array(inner.length + 1);
    outer.set(inner, 1);
    expect(await readArrays(outer.subarray(1))).toEqual(await readArrays(inner));
  });
});

describe("readSafetensors refuses a bad file with INVALID_FILE", () => {
  const good = fixture("safetensors/f64.safetensors");

  it("at every truncation", async () => {
    for (let n = 0; n < good.length; n++) {
      const error = await readArrays(good.subarray(0, n)).then(() => undefined, (e: unknown) => e);
      expect((error as TwoLayerError).code, `truncated at ${n}`).toBe("INVALID_FILE");
    }
    invalid(good.subarray(0, 5), "shorter than the 8-byte header length");
    invalid(good.subarray(0, 40), "safetensors header", "but only 32 bytes follow");
  });

  it("with a header length beyond the file or the 100 MB limit, without allocating it", () => {
    const huge = good.slice();
    new DataView(huge.buffer).setUint32(4, 1, true);
    invalid(huge, "more than the 100 MB");
    const big = good.slice();
    new DataView(big.buffer).setUint32(0, 100_000_001, true);
    invalid(big, "claims 100000001 bytes, more than the 100 MB");
  });

  it("with a header length of 2^32 or more, as a damaged safetensors file, not an unknown format", async () => {
    for (const [length, digits] of [[2n ** 40n, "1099511627776"], [2n ** 64n - 1n, "18446744073709551615"], [2n ** 32n + 5n, "4294967301"]] as const) {
      const bytes = st({ w1: tensor(0, 8) }, f8(1));
      new DataView(bytes.buffer).setBigUint64(0, length, true);
      const error = await readArrays(bytes).then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ code: "INVALID_FILE" });
      expect((error as Error).message).toContain(`safetensors header: claims ${digits} bytes, more than the 100 MB safetensors allows, and only ${bytes.length - 8} bytes follow it`);
      expect((error as Error).message).toContain("truncated or its first 8 bytes (the header length) are damaged");
    }
  });

  it("with a header that is not UTF-8, not JSON or not an object", () => {
    const bytes = st({ a: tensor(0, 8) }, f8(1));
    bytes[10] = 0xff;
    invalid(bytes, "safetensors header", "not valid UTF-8");
    invalid(st('{"a": ', f8(1)), "is not valid JSON");
    invalid(st("[1, 2]"), "does not start with '{'");
    invalid(st('{"a": 3}'), 'tensor "a"', "is not an object");
  });

  it("with a name twice (JSON.parse would keep only the last)", () => {
    const entry = JSON.stringify(tensor(0, 8));
    invalid(st(`{"a":${entry},"b":{"x":[1,"a"],"a":2},"a":${entry}}`, f8(1)), "safetensors header", 'the name "a" appears twice');
    invalid(st(`{"\\"q":${entry}, "\\u0022q" :${entry}}`, f8(1)), 'the name "\\"q" appears twice');
    expect(Object.keys(readSafetensors(st(`{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8],"a":"a,\\"a"}}`, f8(1))))).toEqual(["a"]);
  });

  it("with a tensor entry that is malformed", () => {
    invalid(st({ a: { shape: [1], data_offsets: [0, 8] } }, f8(1)), 'tensor "a"', "no dtype");
    invalid(st({ a: tensor(0, 8, [1], "F16") }, f8(1)), '"F16" is not one we read');
    invalid(st({ a: tensor(0, 8, [1], "toString") }, f8(1)), '"toString" is not one we read');
    invalid(st({ a: tensor(0, 8, [-1]) }, f8(1)), "shape [-1] is not a list of sizes");
    invalid(st({ a: tensor(0, 8, [0.5]) }, f8(1)), "is not a list of sizes");
    invalid(st({ a: { dtype: "F64", shape: [1], data_offsets: [0] } }, f8(1)), "data_offsets [0] is not [begin, end]");
    invalid(st({ a: { dtype: "F64", shape: [1], data_offsets: [0, 8.5] } }, f8(1)), "is not [begin, end]");
    // What the file holds is quoted cut short: a header may be 100 MB.
    invalid(st({ a: tensor(0, 8, [1], "F".repeat(5000)) }, f8(1)), `dtype "${"F".repeat(40)}"… is not one we read`);
    invalid(st({ a: tensor(0, 8, Array(5000).fill(-1)) }, f8(1)), `shape [${"-1,".repeat(19)}-1…`);
    invalid(st({ a: { dtype: "F64", shape: [1], data_offsets: Array(5000).fill("x") } }, f8(1)), `data_offsets ["x",`);
  });

  it("with data_offsets that overlap, leave gaps, run backwards or pass the end", () => {
    invalid(st({ a: tensor(0, 16), b: tensor(8, 16) }, f8(1, 2)), 'tensor "b"', 'overlaps the tensor before it, "a" (data_offsets [0, 16])');
    // A tensor named __proto__ is a tensor like any other, and the one another overlaps is named.
    invalid(st({ ["__proto__"]: tensor(0, 16), w1: tensor(0, 16) }, f8(1, 2)), 'tensor "w1"', 'overlaps the tensor before it, "__proto__" (data_offsets [0, 16])');
    invalid(st({ a: tensor(0, 8), b: tensor(16, 24) }, f8(1, 2, 3)), 'tensor "b"', "leaves bytes 8…15 unused");
    invalid(st({ a: tensor(0, 8), b: { dtype: "F64", shape: [0], data_offsets: [8, 0] } }, f8(1)), "ends before it begins");
    invalid(st({ a: tensor(0, 24) }, f8(1, 2)), "pass the end of the data (16 bytes; truncated?)");
    invalid(st({ a: tensor(0, 2 ** 52) }, f8(1, 2)), "pass the end of the data");
  });

  it("with a shape that does not match its bytes, or could not exist", () => {
    invalid(st({ a: tensor(0, 16, [3]) }, f8(1, 2)), 'tensor "a"', "shape [3] needs 24 bytes but data_offsets [0, 16] hold 16 bytes");
    invalid(st({ a: tensor(0, 16, [2 ** 30, 2 ** 30, 2 ** 30]) }, f8(1, 2)), "more than 2^53 bytes");
  });

  it("with data the tensors do not cover", () => {
    invalid(st({ a: tensor(0, 8) }, f8(1, 2)), "safetensors data", "the tensors cover 8 bytes but 16 bytes follow");
  });

  it("with __metadata__ that is not strings", () => {
    invalid(st({ __metadata__: { a: 1 } }), "__metadata__ is not an object of strings");
    expect(() => readSafetensorsMetadata(st({ __metadata__: [] }))).toThrow(expect.objectContaining({ code: "INVALID_FILE" }));
  });

  it("with a bool byte other than 0 and 1, or an int64 a double cannot hold", () => {
    invalid(st({ b: { dtype: "BOOL", shape: [2], data_offsets: [0, 2] } }, Uint8Array.of(0, 7)), 'tensor "b"', "bool element 1 is the byte 7");
    const big = new Uint8Array(new BigInt64Array([2n ** 62n + 1n]).buffer);
    invalid(st({ i: { dtype: "I64", shape: [1], data_offsets: [0, 8] } }, big), "int64 element 0 is 4611686018427387905");
  });
});

describe("writeSafetensors", () => {
  const one = { data: Float64Array.of(1), shape: [1] };
  it("refuses a reserved name, bad metadata and what is not arrays, with INVALID_ARRAY", () => {
    expect(() => writeSafetensors({ __metadata__: one })).toThrow(expect.objectContaining({ code: "INVALID_ARRAY", message: expect.stringContaining("reserved") }));
    expect(() => writeSafetensors({ a: one }, { a: 1 } as never)).toThrow(expect.objectContaining({ code: "INVALID_ARRAY" }));
    expect(() => writeSafetensors({ a: { data: Int8Array.of(1), shape: [1] } } as never)).toThrow(expect.objectContaining({ code: "INVALID_ARRAY" }));
  });

  it("pads the header to 8 bytes with spaces and keeps integer-like names in data order", () => {
    const bytes = writeSafetensors({ "10": one, "2": one, a: { data: Float32Array.of(1), shape: [] } });
    const length = new DataView(bytes.buffer).getUint32(0, true);
    expect(length % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + length));
    expect(header).toMatch(/^\{"10":\{"dtype":"F64","shape":\[1\],"data_offsets":\[0,8\]\},"2":.*"a":\{"dtype":"F32","shape":\[\],"data_offsets":\[16,20\]\}\} *$/);
    expect(Object.keys(readSafetensors(bytes)).sort()).toEqual(["10", "2", "a"]);
  });
});
