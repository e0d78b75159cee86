// The file readers against files numpy and Python's safetensors wrote (scripts/make-file-fixtures.py):
// every array bit for bit, every refusal with INVALID_FILE and words naming what was found; and our
// writers against the same files, byte for byte.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TwoLayerError } from "../src/errors.js";
import { readArrays, readCsv, readNpy, readSafetensorsMetadata, writeNpy, writeSafetensors, pythonFloat32, type NdArrays } from "../src/files/index.js";
import expected from "./fixtures/files/expected.json";
import float32Str from "./fixtures/files/float32-str.json";

type Want = { type: "f8" | "f4"; shape: number[]; hex: string };
const files = expected.files as Record<string, { arrays?: Record<string, Want>; error?: string[] }>;

export function fixture(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./fixtures/files/${rel}`, import.meta.url)));
}

export function hexOf(data: Float64Array | Float32Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("hex");
}

function expectArrays(got: NdArrays, want: Record<string, Want>, rel: string): void {
  expect(Object.keys(got).sort(), rel).toEqual(Object.keys(want).sort());
  for (const [name, w] of Object.entries(want)) {
    const { data, shape } = got[name];
    expect(data, `${rel} ${name}`).toBeInstanceOf(w.type === "f8" ? Float64Array : Float32Array);
    expect(shape, `${rel} ${name}`).toEqual(w.shape);
    expect(hexOf(data), `${rel} ${name}`).toBe(w.hex);
  }
}

async function rejection(promise: Promise<unknown>): Promise<TwoLayerError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TwoLayerError);
  return error as TwoLayerError;
}

const binary = Object.entries(files).filter(([rel]) => !rel.endsWith(".csv"));

describe(`files numpy ${expected.numpy} and safetensors ${expected.safetensors} wrote`, () => {
  it.each(binary.filter(([, f]) => f.arrays).map(([rel]) => rel))("reads %s bit for bit", async (rel) => {
    expectArrays(await readArrays(fixture(rel)), files[rel].arrays!, rel);
  });

  it.each(binary.filter(([, f]) => f.error).map(([rel]) => rel))("refuses %s, saying what it found", async (rel) => {
    const error = await rejection(readArrays(fixture(rel)));
    expect(error.code).toBe("INVALID_FILE");
    for (const words of files[rel].error!) expect(error.message).toContain(words);
  });

  it("covers what the issue lists: v1/v2/v3, Fortran order, big-endian, every integer width, bool, stored and deflated npz", () => {
    const names = Object.keys(files);
    for (const rel of ["npy/f8-v2.npy", "npy/f8-v3.npy", "npy/f8-fortran.npy", "npy/f4-fortran-3d.npy", "npy/f8-be.npy", "npy/b1.npy", "npz/savez.npz", "npz/savez-compressed.npz"]) {
      expect(names).toContain(rel);
    }
    for (const code of ["i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8"]) expect(names).toContain(`npy/${code}.npy`);
    // numpy really wrote the version and order we think it did.
    expect(Array.from(fixture("npy/f8-v2.npy").subarray(6, 8))).toEqual([2, 0]);
    expect(Array.from(fixture("npy/f8-v3.npy").subarray(6, 8))).toEqual([3, 0]);
    expect(Buffer.from(fixture("npy/f8-fortran.npy")).toString("latin1")).toContain("'fortran_order': True");
    // ...and the ZIP64 local headers the issue warns about: sizes 0xFFFFFFFF, extra field 0x0001.
    const npz = fixture("npz/savez.npz");
    expect(Buffer.from(npz.subarray(18, 26)).toString("hex")).toBe("ffffffffffffffff");
    expect(npz[30 + npz[26]] | (npz[31 + npz[26]] << 8)).toBe(1);
    expect(fixture("npz/savez-compressed.npz")[8]).toBe(8); // deflate
  });

  it("names the array of a single .npy arr_0, and reads it with readNpy too", async () => {
    const bytes = fixture("npy/f8.npy");
    const { data, shape } = readNpy(bytes);
    expect(shape).toEqual([3, 4]);
    expect(hexOf(data)).toBe(hexOf((await readArrays(bytes)).arr_0.data));
    expect(hexOf((await readArrays(bytes.slice().buffer)).arr_0.data)).toBe(hexOf(data));
  });

  it("reads safetensors metadata", () => {
    expect(readSafetensorsMetadata(fixture("safetensors/metadata.safetensors"))).toEqual({ format: "np" });
    expect(readSafetensorsMetadata(fixture("safetensors/f64.safetensors"))).toBeUndefined();
  });
});

describe("our writers give the bytes numpy and safetensors write", () => {
  const npyFiles = ["f8", "f4", "f8-1d", "f4-1d", "f8-3d", "f8-scalar", "f8-empty", "f8-empty-2d", "f8-long-axis"];
  it.each(npyFiles)("writeNpy(np.load('%s.npy')) equals np.save's bytes", (name) => {
    const bytes = fixture(`npy/${name}.npy`);
    expect(Buffer.from(writeNpy(readNpy(bytes))).equals(Buffer.from(bytes))).toBe(true);
  });

  it.each(["f64", "f32", "mixed"])("writeSafetensors(load('%s.safetensors')) equals save_file's bytes", async (name) => {
    const bytes = fixture(`safetensors/${name}.safetensors`);
    expect(Buffer.from(writeSafetensors(await readArrays(bytes))).toString("latin1")).toBe(Buffer.from(bytes).toString("latin1"));
  });

  it("writes __metadata__ as save_file does", async () => {
    const bytes = fixture("safetensors/metadata.safetensors");
    expect(Buffer.from(writeSafetensors(await readArrays(bytes), { format: "np" })).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe("CSV numpy wrote", () => {
  it.each(Object.keys(files).filter((rel) => rel.endsWith(".csv")))("reads %s bit for bit", (rel) => {
    const table = readCsv(fixture(rel));
    expectArrays({ csv: { data: table.data, shape: table.shape } }, files[rel].arrays!, rel);
  });

  it("takes a first line of names as column names", () => {
    expect(readCsv(fixture("csv/names-crlf.csv")).columns).toEqual(["x1", "x2", "x3"]);
    expect(readCsv(fixture("csv/savetxt-header.csv")).columns).toBeUndefined(); // "# a,b,c,d" is a comment
  });
});

describe("pythonFloat32", () => {
  it(`prints the digits numpy ${float32Str.numpy}'s str(np.float32) prints for ${float32Str.cases.length} float32 values, in Python's layout`, () => {
    const view = new DataView(new ArrayBuffer(4));
    const digits = (s: string) => s.replace(/e.*$/, "").replace(/[-.]/g, "").replace(/^0+/, "").replace(/0+$/, "");
    for (const [bits, str] of float32Str.cases as [number, string][]) {
      view.setUint32(0, bits);
      const x = view.getFloat32(0);
      const ours = pythonFloat32(x);
      expect(Number(ours), `bits ${bits.toString(16)}: ${ours} vs numpy's ${str}`).toBe(Number(str));
      expect(digits(ours), `bits ${bits.toString(16)}`).toBe(digits(str));
      expect(Math.fround(Number(ours))).toBe(x);
    }
    expect(pythonFloat32(Math.fround(16777216))).toBe("16777216.0");
    expect(pythonFloat32(Math.fround(1e-5))).toBe("1e-05");
    expect(pythonFloat32(Math.fround(0.1))).toBe("0.1");
  });
});
