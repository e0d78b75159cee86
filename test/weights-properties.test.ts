// A property test (fast-check) over create({ weights: mutated bytes }): valid weights files (ours and
// numpy's, .npz stored and deflated, .safetensors F64 and F32), truncated, with bytes flipped or set,
// header numbers set to extremes, bytes inserted, deleted or copied, either load correctly — the
// network holds exactly what readArrays reads from the same bytes, in its sizes — or raise
// INVALID_FILE. Never another error, and never a reservation left behind.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadedBuild } from "../src/builds/load.js";
import { readArrays, TwoLayerError, TwoLayerNet, type DType } from "../src/index.js";
import { mutate, mutation } from "./file-mutations.js";
import { hex, trainedSmall, weightsFixture } from "./weights-harness.js";

let VALID: [string, Uint8Array][] = [];
let keep: TwoLayerNet;

beforeAll(async () => {
  const f64 = await trainedSmall();
  const f32 = await trainedSmall({ dtype: "f32" });
  VALID = [
    ["saveWeights f64 npz", f64.saveWeights()],
    ["saveWeights f64 safetensors", f64.saveWeights("safetensors")],
    ["saveWeights f32 npz", f32.saveWeights()],
    ["saveWeights f32 safetensors", f32.saveWeights("safetensors")],
    ["numpy savez_compressed", weightsFixture("odd.npz")],
    ["numpy savez", weightsFixture("astype.npz")],
  ];
  f64.dispose();
  f32.dispose();
  keep = await TwoLayerNet.create({ n: 1, dIn: 1, hidden: 1, dOut: 1 }); // the build is loaded, its memory set up
});

afterAll(() => keep.dispose());

/** Loads `bytes` as weights; returns "loaded" after checking the network against readArrays, or "invalid". */
async function loadsOrInvalid(bytes: Uint8Array, dtype: DType): Promise<"loaded" | "invalid"> {
  let net: TwoLayerNet;
  try {
    net = await TwoLayerNet.create({ weights: bytes, dtype, n: 2 });
  } catch (error) {
    if (!(error instanceof TwoLayerError) || error.code !== "INVALID_FILE") throw error;
    expect(error.message).toMatch(/^weights: ./);
    return "invalid";
  }
  try {
    const { w1, w2 } = await readArrays(bytes); // a file that loads reads as arrays too, and holds what the network holds
    expect([net.dIn, net.hidden]).toEqual(w1.shape);
    expect([net.hidden, net.dOut]).toEqual(w2.shape);
    const Type = dtype === "f64" ? Float64Array : Float32Array;
    expect(hex(net.w1)).toBe(hex(Type.from(w1.data)));
    expect(hex(net.w2)).toBe(hex(Type.from(w2.data)));
    expect([...net.w1, ...net.w2].every(Number.isFinite)).toBe(true);
  } finally {
    net.dispose();
  }
  return "loaded";
}

describe("create({ weights: mutated bytes }) loads correctly or raises INVALID_FILE", () => {
  it("the unmutated files load", async () => {
    for (const [name, bytes] of VALID) expect(await loadsOrInvalid(bytes, "f64"), name).toBe("loaded");
  });

  it("after one to three mutations each, into f64 and f32 networks", async () => {
    const { memory } = await loadedBuild("simd");
    const before = memory.buffer.byteLength;
    const seen = { loaded: 0, invalid: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: VALID.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.constantFrom<DType>("f64", "f32"),
        async (which, mutations, dtype) => {
          const base = VALID[which][1];
          const bytes = mutations.reduce((file, m) => mutate(file, m, base), base);
          seen[await loadsOrInvalid(bytes, dtype)]++;
        },
      ),
      { numRuns: 3000 },
    );
    // Both outcomes happen: the mutations reach the checks, and some leave a loadable file.
    expect(seen.invalid).toBeGreaterThan(500);
    expect(seen.loaded).toBeGreaterThan(50);
    // Every network made was disposed and every refused one reserved nothing: memory did not grow
    // (the small networks that loaded reuse the allocator's freed blocks).
    expect(memory.buffer.byteLength - before).toBeLessThanOrEqual(1024 * 1024);
  });
});
