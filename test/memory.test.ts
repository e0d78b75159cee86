// Memory growth: a second network that does not fit makes wasm memory grow, which detaches every
// view on the old buffer. The first network's views, read again from its getters, must be new views
// on the grown memory with the same values, and the network must go on training as if nothing happened.
import { describe, expect, it } from "vitest";
import { TwoLayerNet } from "../src/index.js";

const SMALL = { n: 8, dIn: 16, hidden: 8, dOut: 4, seed: 1 };
// 2048×2048 float64 weights and their gradients alone take 64 MiB: more than memory holds so far.
const LARGE = { n: 4, dIn: 2048, hidden: 2048, dOut: 2, seed: 2 };

describe.each([true, false])("wasm memory growth (simd: %s)", (simd) => {
  it("refreshes an old network's views (not detached, values intact) and training goes on unchanged", async () => {
    const a = await TwoLayerNet.create({ ...SMALL, simd });
    const reference = await TwoLayerNet.create({ ...SMALL, backend: "js" });
    a.step(1e-4);
    reference.step(1e-4);
    const views = { x: a.x, w1: a.w1, w2: a.w2, gradW1: a.gradW1 };
    const copies = Object.fromEntries(Object.entries(views).map(([k, v]) => [k, Float64Array.from(v)]));

    const b = await TwoLayerNet.create({ ...LARGE, simd });
    // The old views were on the buffer memory.grow replaced: detached, so growth did happen.
    expect(views.w1.byteLength, "the second network did not grow memory, so nothing was tested").toBe(0);

    for (const [name, copy] of Object.entries(copies)) {
      const fresh = a[name as keyof typeof views];
      expect(fresh.byteLength, `${name} re-read after growth`).toBe(copy.length * 8);
      expect(fresh.buffer).not.toBe(views[name as keyof typeof views].buffer);
      expect(Array.from(fresh), name).toEqual(Array.from(copy));
    }
    // Writes through a refreshed view reach the network.
    a.w2[0] = copies.w2[0];
    // Both networks train; the old one as the JS reference does on its own (up to summation order).
    for (let i = 0; i < 3; i++) {
      const [got, want] = [a.step(1e-4), reference.step(1e-4)];
      expect(Math.abs(got / want - 1), `step ${i}: ${got} vs ${want}`).toBeLessThan(1e-12);
    }
    expect(Number.isFinite(b.step(1e-6))).toBe(true);
    a.dispose();
    b.dispose();
    reference.dispose();
  });
});
