// What our writers write, kept in test/fixtures/files/ours/ with the values they hold
// (ours/expected.json). This test checks that the writers still write exactly those bytes and that
// our readers read them back bit for bit; `python3 scripts/make-file-fixtures.py --check-ours` checks
// that numpy and safetensors read them bit for bit too (a dev step: tests never need Python).
// TWOLAYER_WRITE_OURS=1 rewrites the files after a deliberate change to a writer.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readArrays, readCsv, writeCsv, writeNpy, writeNpz, writeSafetensors, type NdArray, type NdArrays } from "../src/files/index.js";

const OURS = new URL("./fixtures/files/ours/", import.meta.url);

// Deterministic values: every special case first, then doubles from random bit patterns over the
// whole exponent range (a 32-bit xorshift, so the test needs no seed file).
function values(count: number, f32: boolean, specials: boolean): number[] {
  const out = specials ? [0, -0, 1, -1.5, Infinity, -Infinity, NaN, 5e-324, 1.7976931348623157e308, 2.2250738585072014e-308, 0.1, 1 / 3] : [];
  let s = 0x9e3779b9;
  const next = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), s >>> 0);
  const view = new DataView(new ArrayBuffer(8));
  while (out.length < count) {
    view.setUint32(0, next());
    view.setUint32(4, next());
    const x = f32 ? view.getFloat32(0) : view.getFloat64(0);
    if (Number.isFinite(x)) out.push(x);
  }
  return out.slice(0, count);
}

function f64(shape: number[], specials = true): NdArray {
  return { data: Float64Array.from(values(shape.reduce((a, b) => a * b, 1), false, specials)), shape };
}
function f32(shape: number[], specials = true): NdArray {
  return { data: Float32Array.from(values(shape.reduce((a, b) => a * b, 1), true, specials)), shape };
}

// NaNs with payloads, a negative NaN, float32's signalling NaN: bits a file must carry unchanged.
function withPayloads(array: NdArray): NdArray {
  const bytes = new DataView(array.data.buffer);
  if (array.data instanceof Float64Array) {
    bytes.setBigUint64(8 * 2, 0x7ff8000000000001n, true);
    bytes.setBigUint64(8 * 3, 0xfff8000000000000n, true);
  } else {
    bytes.setUint32(4 * 2, 0x7f800001, true);
    bytes.setUint32(4 * 3, 0xffc00000, true);
  }
  return array;
}

const w1 = f64([7, 5], false);
const w2 = f64([5, 3], false);
const arrays: Record<string, NdArrays> = {
  "f8.npy": { arr_0: withPayloads(f64([3, 4])) },
  "f4.npy": { arr_0: withPayloads(f32([4, 3])) },
  "scalar.npy": { arr_0: { data: Float64Array.of(2.5), shape: [] } },
  "empty.npy": { arr_0: { data: new Float32Array(0), shape: [0, 5] } },
  "3d.npy": { arr_0: f64([2, 3, 4]) },
  "weights.npz": { w1, w2 },
  "mixed.npz": { a: f32([6]), b: f64([2, 2]), "c d": f64([1, 1, 1]) },
  "weights.safetensors": { w1, w2 },
  "mixed.safetensors": { z: f32([3, 2]), a: withPayloads(f64([5])), e: { data: new Float64Array(0), shape: [0] } },
  "f8.csv": { csv: f64([6, 4]) },
  "f4.csv": { csv: f32([5, 3]) },
};

function write(rel: string, named: NdArrays): Uint8Array {
  if (rel.endsWith(".npy")) return writeNpy(named.arr_0);
  if (rel.endsWith(".npz")) return writeNpz(named);
  if (rel.endsWith(".csv")) return new TextEncoder().encode(writeCsv(named.csv));
  return writeSafetensors(named);
}

const hex = (d: Float64Array | Float32Array) => Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString("hex");
const spec = Object.fromEntries(
  Object.entries(arrays).map(([rel, named]) => [
    rel,
    Object.fromEntries(Object.entries(named).map(([name, a]) => [name, { type: a.data instanceof Float64Array ? "f8" : "f4", shape: a.shape, hex: hex(a.data) }])),
  ]),
);

if (process.env.TWOLAYER_WRITE_OURS === "1") {
  mkdirSync(OURS, { recursive: true });
  for (const [rel, named] of Object.entries(arrays)) writeFileSync(new URL(rel, OURS), write(rel, named));
  writeFileSync(new URL("expected.json", OURS), `${JSON.stringify(spec, null, 1)}\n`);
}

describe("the files our writers write (test/fixtures/files/ours, checked by numpy and safetensors)", () => {
  it("holds the values this test means", () => {
    expect(JSON.parse(readFileSync(new URL("expected.json", OURS), "utf8"))).toEqual(spec);
  });

  it.each(Object.keys(arrays))("%s: the writer still writes the same bytes, and we read them back bit for bit", async (rel) => {
    const bytes = write(rel, arrays[rel]);
    expect(Buffer.from(bytes).equals(readFileSync(new URL(rel, OURS))), "bytes changed: rerun the numpy check").toBe(true);
    const back: NdArrays = rel.endsWith(".csv") ? { csv: readCsv(bytes) } : await readArrays(bytes);
    expect(Object.keys(back).sort()).toEqual(Object.keys(arrays[rel]).sort());
    for (const [name, a] of Object.entries(arrays[rel])) {
      const got = back[name];
      expect(got.shape).toEqual(a.shape);
      // CSV reads float64; a float32 value must come back as the same float32.
      const data = rel === "f4.csv" ? Float32Array.from(got.data) : got.data;
      expect(data.constructor).toBe(a.data.constructor);
      expect(hex(data), `${rel} ${name}`).toBe(hex(a.data));
    }
  });
});
