// The stated limit is the real one: a network of 2.5 GiB, and one at MAX_ARENA_BYTES (4 GiB − 1 MiB),
// create and train (AssemblyScript's allocator alone stops below 1 GiB: src/wasm-space.ts). Each is
// checked where its memory is highest: h's last column reads w1's last column, and the update of
// w1's last element is numpy's w -= lr * grad. w1 and w2 are given (drawing 2·10⁸ normals would take
// minutes), x and y are numpy's draws. In a file of its own: wasm memory never shrinks.
import { describe, expect, it } from "vitest";
import { loadedBuild } from "../src/builds/load.js";
import { MAX_ARENA_BYTES } from "../src/memory.js";
import { TwoLayerNet } from "../src/index.js";

/** Sizes with n = dOut = 1 whose network takes as close to `bytes` as whole rows of w1 allow. */
function sizesFor(bytes: number, hidden: number) {
  const perRow = (dIn: number) => TwoLayerNet.bytesFor({ n: 1, dIn, hidden, dOut: 1 });
  let dIn = Math.floor(bytes / (16 * hidden));
  while (perRow(dIn + 1) <= bytes) dIn++;
  while (perRow(dIn) > bytes) dIn--;
  return { n: 1, dIn, hidden, dOut: 1 };
}

async function trainsAtTheTop(bytes: number, hidden: number): Promise<void> {
  const sizes = sizesFor(bytes, hidden);
  const reserved = TwoLayerNet.bytesFor(sizes);
  expect(reserved).toBeLessThanOrEqual(bytes);
  expect(bytes - reserved).toBeLessThan(20 * hidden); // within one row of w1 of the target
  const { dIn, hidden: H } = sizes;
  // A Float32Array (widened exactly as the network copies it in): half the memory beside the arena,
  // whose 4 GiB with a 2 GiB w1 beside it come near what a small CI machine has.
  const weights = new Float32Array(dIn * H);
  for (let i = 0; i < weights.length; i++) weights[i] = ((i % 1999) - 999) / 1e5;
  const net = await TwoLayerNet.create({ ...sizes, seed: 3, w1: weights, w2: new Float64Array(H).fill(0.5) });
  const loss = net.forwardBackward();
  expect(Number.isFinite(loss)).toBe(true);
  // h[H − 1] = Σ_p x[p]·w1[p, H − 1], summed in increasing p as the kernel does: the same bits.
  const x = net.x;
  const w1 = net.w1;
  let h = 0;
  for (let p = 0; p < dIn; p++) h += x[p] * w1[p * H + H - 1];
  expect(net.h[H - 1]).toBe(h);
  const last = dIn * H - 1;
  const [w, g] = [w1[last], net.gradW1[last]];
  net.update(1e-9);
  expect(net.w1[last]).toBe(w - 1e-9 * g);
  expect(Number.isFinite(net.step(1e-9))).toBe(true);
  net.dispose();
}

describe("networks as large as README states", () => {
  it("2.5 GiB: creates and trains", async () => {
    await trainsAtTheTop(2.5 * 2 ** 30, 4096);
  });

  it("MAX_ARENA_BYTES (4 GiB − 1 MiB): creates and trains; one byte more is OUT_OF_MEMORY before anything is reserved", async () => {
    await trainsAtTheTop(MAX_ARENA_BYTES, 4096);
    const memory = (await loadedBuild("simd")).memory;
    const before = memory.buffer.byteLength;
    const over = sizesFor(MAX_ARENA_BYTES + 2 ** 20, 4096);
    await expect(TwoLayerNet.create(over)).rejects.toMatchObject({ code: "OUT_OF_MEMORY" });
    expect(memory.buffer.byteLength).toBe(before);
  });
});
