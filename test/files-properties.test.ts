// Property tests (fast-check) for the file readers and writers:
// - any valid file, truncated, with bytes flipped or overwritten, header numbers set to extremes, or
//   bytes inserted, deleted or copied from elsewhere, either reads as well-shaped arrays or raises
//   INVALID_FILE: never another error, a hang or a huge allocation;
// - whatever arrays we write, we read back bit for bit (NaN payloads included).
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TwoLayerError } from "../src/errors.js";
import { readArrays, readCsv, readNpy, readNpz, readSafetensors, writeCsv, writeNpy, writeNpz, writeSafetensors, type NdArray, type NdArrays } from "../src/files/index.js";
import { mutate, mutation } from "./file-mutations.js";

const fixture = (rel: string) => new Uint8Array(readFileSync(new URL(`./fixtures/files/${rel}`, import.meta.url)));
const small = (data: Float64Array | Float32Array, shape: number[]): NdArray => ({ data, shape });

const VALID: [string, Uint8Array][] = [
  ...["npy/f8.npy", "npy/f4-be.npy", "npy/f8-fortran.npy", "npy/f4-fortran-3d.npy", "npy/f8-v2.npy", "npy/f8-v3.npy", "npy/i8-be.npy", "npy/u2.npy", "npy/b1.npy", "npy/f8-scalar.npy"].map(
    (rel) => [rel, fixture(rel)] as [string, Uint8Array],
  ),
  ...["npz/savez.npz", "npz/savez-compressed.npz", "npz/savez-fortran-be.npz", "safetensors/f64.safetensors", "safetensors/mixed.safetensors", "safetensors/ints.safetensors"].map(
    (rel) => [rel, fixture(rel)] as [string, Uint8Array],
  ),
  ["writeNpy", writeNpy(small(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]))],
  ["writeNpz", writeNpz({ w1: small(Float64Array.of(1, 2, 3, 4), [2, 2]), w2: small(Float64Array.of(5, 6), [2, 1]) })],
  ["writeSafetensors", writeSafetensors({ w1: small(Float64Array.of(1, 2, 3, 4), [2, 2]), w2: small(Float32Array.of(5, 6), [2, 1]) })],
];

function expectWellShaped(arrays: NdArrays): void {
  for (const { data, shape } of Object.values(arrays)) {
    expect(data instanceof Float64Array || data instanceof Float32Array).toBe(true);
    expect(shape.every((d) => Number.isSafeInteger(d) && d >= 0)).toBe(true);
    expect(data.length).toBe(shape.reduce((a, b) => a * b, 1));
  }
}

// No huge allocation: what a read leaves allocated in ArrayBuffers (fflate's too; the garbage is not
// yet collected when we look) stays within a small multiple of the file. Deflate may expand 1032:1,
// but these files hold at most a few kilobytes of arrays.
const ALLOCATION_LIMIT = 64 * 1024 * 1024;

async function expectReadsOrInvalid(bytes: Uint8Array): Promise<"read" | "invalid"> {
  const before = process.memoryUsage().arrayBuffers;
  try {
    expectWellShaped(await readArrays(bytes));
    return "read";
  } catch (error) {
    if (!(error instanceof TwoLayerError) || error.code !== "INVALID_FILE") throw error;
    expect(error.message.length).toBeGreaterThan(10);
    return "invalid";
  } finally {
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(ALLOCATION_LIMIT);
  }
}

describe("damaged files read as well-shaped arrays or raise INVALID_FILE, nothing else", () => {
  it("the unmutated files read", async () => {
    for (const [name, file] of VALID) expect(await expectReadsOrInvalid(file), name).toBe("read");
  });

  it("after one to three mutations each", async () => {
    const seen = { read: 0, invalid: 0 };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: VALID.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (which, mutations) => {
        const base = VALID[which][1];
        const bytes = mutations.reduce((file, m) => mutate(file, m, base), base);
        seen[await expectReadsOrInvalid(bytes)]++;
      }),
      { numRuns: 6000 },
    );
    // Both outcomes happen: the mutations reach the checks, and some leave a readable file.
    expect(seen.invalid).toBeGreaterThan(1000);
    expect(seen.read).toBeGreaterThan(50);
  });

  it("CSV text, mutated, reads as a consistent table or raises INVALID_FILE", () => {
    const base = new TextEncoder().encode("a,b,c\r\n1,2.5,-3e-05\r\nnan,inf,-inf\r\n0.1,7,1e+16\r\n");
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const bytes = mutations.reduce((file, m) => mutate(file, m, base), base);
        try {
          const { data, shape, columns } = readCsv(bytes);
          expect(data.length).toBe(shape[0] * shape[1]);
          if (columns) expect(columns.length).toBe(shape[1]);
        } catch (error) {
          if (!(error instanceof TwoLayerError) || error.code !== "INVALID_FILE") throw error;
        }
      }),
      { numRuns: 3000 },
    );
  });
});

// Arrays of any bits: random 32-bit words viewed as floats, so NaN payloads, −0, subnormals and
// infinities all occur.
const shape = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 });
const ndArray = fc.tuple(shape, fc.boolean()).chain(([dims, is64]) => {
  const count = dims.reduce((a, b) => a * b, 1);
  return fc.uint32Array({ minLength: count * (is64 ? 2 : 1), maxLength: count * (is64 ? 2 : 1) }).map((words): NdArray => ({
    data: is64 ? new Float64Array(words.buffer) : new Float32Array(words.buffer),
    shape: dims,
  }));
});
const named = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !/\p{Surrogate}/u.test(s) && s !== "__metadata__"), ndArray, { maxKeys: 4 });
const bits = (a: NdArray) => `${a.data.constructor.name}[${a.shape}]:${Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).toString("hex")}`;

describe("what we write we read back bit for bit", () => {
  it(".npy", () => {
    fc.assert(
      fc.property(ndArray, (a) => {
        expect(bits(readNpy(writeNpy(a)))).toBe(bits(a));
      }),
      { numRuns: 500 },
    );
  });

  it(".npz and .safetensors", () => {
    fc.assert(
      fc.property(named, (arrays) => {
        const want = Object.fromEntries(Object.entries(arrays).map(([k, v]) => [k, bits(v)]));
        // An .npz member is "<name>.npy": writeNpz takes only names that are plain file names.
        const plain = Object.keys(arrays).every((n) => n !== "." && n !== ".." && !/[/\\\u0000-\u001f\u007f-\u009f]/.test(n));
        if (!plain) expect(() => writeNpz(arrays)).toThrow(expect.objectContaining({ code: "INVALID_ARRAY" }));
        for (const back of [...(plain ? [readNpz(writeNpz(arrays))] : []), readSafetensors(writeSafetensors(arrays))]) {
          expect(Object.fromEntries(Object.entries(back).map(([k, v]) => [k, bits(v)]))).toEqual(want);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("CSV, every value but NaN's payload", () => {
    const table = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.boolean()).chain(([rows, cols, is64]) =>
      fc.uint32Array({ minLength: rows * cols * 2, maxLength: rows * cols * 2 }).map((words) => ({
        data: is64 ? new Float64Array(words.buffer) : new Float32Array(words.buffer, 0, rows * cols),
        shape: [rows, cols],
      })),
    );
    fc.assert(
      fc.property(table, ({ data, shape }) => {
        const back = readCsv(writeCsv({ data, shape }));
        expect(back.shape).toEqual(shape);
        const got = data instanceof Float32Array ? Float32Array.from(back.data) : back.data;
        for (let i = 0; i < data.length; i++) expect(Object.is(got[i], data[i]) || (Number.isNaN(got[i]) && Number.isNaN(data[i]))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
