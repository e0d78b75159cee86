// .npy: the headers numpy has written over the years, and every way a header or its data can be wrong.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TwoLayerError } from "../src/errors.js";
import { readArrays, readNpy, writeNpy } from "../src/files/index.js";

const fixture = (rel: string) => new Uint8Array(readFileSync(new URL(`./fixtures/files/${rel}`, import.meta.url)));

/** An .npy file from raw parts: version, header text (padded with nothing), data bytes. */
function npy(header: string, data: Uint8Array = new Uint8Array(0), version: [number, number] = [1, 0]): Uint8Array {
  const text = new TextEncoder().encode(header);
  const lengthBytes = version[0] === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lengthBytes + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version[0], version[1]]);
  const view = new DataView(out.buffer);
  if (lengthBytes === 2) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  out.set(text, 8 + lengthBytes);
  out.set(data, 8 + lengthBytes + text.length);
  return out;
}
const f8 = (...values: number[]) => new Uint8Array(Float64Array.from(values).buffer);
const header = (shape: string, descr = "<f8", fortran = "False") => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }\n`;

function invalid(bytes: Uint8Array, ...words: string[]): TwoLayerError {
  let error: unknown;
  try {
    readNpy(bytes);
  } catch (e) {
    error = e;
  }
  expect(error, `expected INVALID_FILE containing ${words.join(", ")}`).toBeInstanceOf(TwoLayerError);
  expect((error as TwoLayerError).code).toBe("INVALID_FILE");
  for (const w of words) expect((error as TwoLayerError).message).toContain(w);
  return error as TwoLayerError;
}

describe("readNpy reads the headers numpy writes and wrote", () => {
  it("reads a header padded to 16 bytes (numpy before 1.9) and without the growth spaces", () => {
    const { data, shape } = readNpy(npy(header("(2,)"), f8(1, 2)));
    expect(shape).toEqual([2]);
    expect(Array.from(data)).toEqual([1, 2]);
  });

  it("reads Python 2's long integers (3L, 2L), double quotes and keys in any order", () => {
    const text = `{"shape": (1L, 2L), "fortran_order": False, "descr": "<f8"}`;
    expect(readNpy(npy(text, f8(3, 4))).shape).toEqual([1, 2]);
  });

  it("reads a version 3.0 header with UTF-8 in it", () => {
    const text = `{'descr': '<f8', 'fortran_order': False, 'shape': (1,), } # é\n`;
    expect(Array.from(readNpy(npy(text.replace(" # é", ""), f8(7), [3, 0])).data)).toEqual([7]);
    invalid(npy(text, f8(7), [3, 0]), "npy header", "more text after the literal");
  });

  it("reorders Fortran-ordered data of every rank to row-major", () => {
    // shape (2, 3) column-major: columns (0, 3), (1, 4), (2, 5)
    expect(Array.from(readNpy(npy(header("(2, 3)", "<f8", "True"), f8(0, 3, 1, 4, 2, 5))).data)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(readNpy(npy(header("(4,)", "<f8", "True"), f8(1, 2, 3, 4))).data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(readNpy(npy(header("(0, 3)", "<f8", "True"))).data)).toEqual([]);
    // (2, 2, 2): element (i, j, k) is at i + 2j + 4k in the file
    const file = [0, 4, 2, 6, 1, 5, 3, 7]; // value = 4i + 2j + k, placed at its Fortran offset
    expect(Array.from(readNpy(npy(header("(2, 2, 2)", "<f8", "True"), f8(...file))).data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("returns a copy: changing the file afterwards does not change the array", () => {
    const bytes = writeNpy({ data: Float64Array.of(1, 2), shape: [2] });
    const { data } = readNpy(bytes);
    bytes.fill(0);
    expect(Array.from(data)).toEqual([1, 2]);
  });

  it("reads data at an odd offset inside a larger buffer", () => {
    const inner = writeNpy({ data: Float32Array.of(1.5, -2), shape: [2] });
    const outer = new Uint8Array(inner.length + 3);
    outer.set(inner, 3);
    expect(Array.from(readNpy(outer.subarray(3)).data)).toEqual([1.5, -2]);
  });
});

describe("readNpy refuses a bad .npy with INVALID_FILE naming the part and the problem", () => {
  const good = fixture("npy/f8.npy");

  it("at every truncation", () => {
    for (let n = 0; n < good.length; n++) invalid(good.subarray(0, n), "npy");
  });

  it("with the wrong magic or version", () => {
    invalid(new Uint8Array(0), "not an .npy file", "empty");
    invalid(Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x5a, 1, 0, 0, 0]), "not an .npy file", "93 4e 55 4d 50 5a");
    const v4 = good.slice();
    v4[6] = 4;
    invalid(v4, "npy header", "format version 4.0");
    const v11 = good.slice();
    v11[7] = 1;
    invalid(v11, "format version 1.1");
  });

  it("with a header length larger than the file, without allocating it", () => {
    const long = good.slice(0, 200);
    new DataView(long.buffer).setUint16(8, 65535, true);
    invalid(long, "npy header", "claims 65535 bytes", "190 bytes follow");
    const v2 = npy(header("(1,)"), f8(1), [2, 0]);
    new DataView(v2.buffer).setUint32(8, 0xffffffff, true);
    invalid(v2, "claims 4294967295 bytes");
    const padded = npy(header("(1,)").padEnd(2 ** 20 + 1, " "), f8(1), [2, 0]);
    invalid(padded, "npy header", "is 1048577 bytes, more than the 1048576");
    expect(readNpy(npy(header("(1,)").padEnd(2 ** 20, " "), f8(1), [2, 0])).shape).toEqual([1]);
  });

  it("with a shape the data does not fill, or that could not exist (no huge allocation)", () => {
    invalid(npy(header("(3, 4)"), f8(1, 2, 3)), "npy data", "needs 96 bytes but 24 bytes follow", "truncated");
    invalid(npy(header("(1,)"), f8(1, 2)), "npy data", "extra bytes after the array");
    invalid(npy(header(`(${2 ** 40},)`), f8(1)), "needs 8796093022208 bytes");
    invalid(npy(header(`(${2 ** 30}, ${2 ** 30}, ${2 ** 30})`)), "more than 2^53 bytes");
    invalid(npy(header("(-1,)")), "shape[0] is -1");
    invalid(npy(header("(2, 'a')")), `shape[1] is "a", not a size`);
    invalid(npy(header(`(2, '${"a".repeat(5000)}')`)), `shape[1] is "${"a".repeat(40)}"…, not a size`);
  });

  it("quoting a size beyond 2^53 with the digits the header has, not a double's", () => {
    invalid(npy(header("(9007199254740993,)")), "shape[0] is 9007199254740993, more than the 2^53 − 1");
    invalid(npy(header("(3, 99999999999999999999)")), "shape[1] is 99999999999999999999, more than");
    invalid(npy(header("(-9007199254740993,)")), "shape[0] is -9007199254740993, not a size");
    expect(readNpy(npy(header("(0, 9007199254740991)"))).shape).toEqual([0, 9007199254740991]);
    invalid(npy(header("3")), "shape is not a tuple");
    invalid(npy(header("(3.5,)")), "cannot read");
  });

  it("with a header that is not numpy's dict", () => {
    invalid(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4)"), "npy header", "cannot read");
    invalid(npy("{'descr': '<f8', 'fortran_order': False}"), "has the keys [descr, fortran_order]");
    invalid(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), 'extra': 1}"), "exactly descr, fortran_order and shape");
    invalid(npy("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': ()}"), "the key 'descr' a second time");
    invalid(npy(header("(1,)", "<f8", "1"), f8(1)), "fortran_order is not True or False");
    invalid(npy("['descr']"), "is not a dict");
    invalid(npy("{1: 2}"), "a dict key that is not a string");
    invalid(npy("{'descr': '<f8\\q'}"), "an escape we do not read");
    invalid(npy("{'descr': '<f8"), "a string that never ends");
    invalid(npy("{'descr': os.system('x')}"), "unexpected name os");
    invalid(npy(""), "expected a value");
  });

  it("with nesting deep enough to overflow a recursive parser, quickly", () => {
    invalid(npy(`{'descr': ${"(".repeat(60000)}${")".repeat(60000)}}`, undefined, [2, 0]), "nesting deeper than 32");
  });

  it("with a dtype we do not read or a byte order a file cannot have", () => {
    invalid(npy(header("(1,)", "=f8"), f8(1)), "byte order '='");
    invalid(npy(header("(1,)", "<f3"), f8(1)), "dtype '<f3'");
    invalid(npy(header("(1,)", "<i3"), f8(1)), "dtype '<i3'");
    invalid(npy("{'descr': 8, 'fortran_order': False, 'shape': (1,)}", f8(1)), "descr is not a dtype string");
  });

  it("with invalid UTF-8 in a version 3.0 header", () => {
    const bytes = npy(header("(1,)"), f8(1), [3, 0]);
    bytes[20] = 0xff;
    invalid(bytes, "npy header", "not valid UTF-8");
  });

  it("with a bool byte other than 0 and 1", () => {
    invalid(npy(header("(3,)", "|b1"), Uint8Array.of(1, 2, 0)), "npy data", "bool element 1 is the byte 2");
  });

  it("names the file when readArrays is given its name", async () => {
    const error = await readArrays(new Uint8Array([0x93, 0x4e]), { name: "w.npy" }).catch((e: unknown) => e);
    expect((error as TwoLayerError).message).toMatch(/^w\.npy: npy header: /);
  });
});

describe("writeNpy refuses what is not an array with INVALID_ARRAY", () => {
  const bad = (array: unknown, words: string) => {
    expect(() => writeNpy(array as never)).toThrow(expect.objectContaining({ code: "INVALID_ARRAY", message: expect.stringContaining(words) }));
  };
  it("names the problem", () => {
    bad(null, "must be { data, shape }");
    bad({ data: Int32Array.of(1), shape: [1] }, "Float64Array or Float32Array");
    bad({ data: [1, 2], shape: [2] }, "Float64Array or Float32Array");
    bad({ data: Float64Array.of(1), shape: "1" }, "array of sizes");
    bad({ data: Float64Array.of(1, 2), shape: [3] }, "holds 3 elements but array.data has 2");
    bad({ data: Float64Array.of(1), shape: [-1, -1] }, "shape[0] must be an integer ≥ 0");
    bad({ data: Float64Array.of(1), shape: [1.5] }, "shape[0]");
  });
});
