// Holes an adversarial probe of the library API found: each input here once gave a silent wrong
// result or ended the process, and must now give the plain result or a TwoLayerError.
import { describe, expect, it } from "vitest";
import { init, TwoLayerError, TwoLayerNet } from "../src/index.js";

const SIZES = { n: 3, dIn: 5, hidden: 4, dOut: 2 };

describe("a typed array is read by its internal slots, not by properties it may override", () => {
  it("a Float64Array whose length getter lies is refused for its real length, not zero-padded", async () => {
    class Lying extends Float64Array {
      override get length(): number {
        return 15;
      }
    }
    const own = new Float64Array(3);
    Object.defineProperty(own, "length", { value: 15 });
    for (const x of [new Lying(3), own]) {
      const error = await TwoLayerNet.create({ ...SIZES, x }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TwoLayerError);
      expect((error as TwoLayerError).code).toBe("INVALID_ARRAY");
      expect((error as TwoLayerError).message).toMatch(/got 3$/);
    }
    const net = await TwoLayerNet.create(SIZES);
    try {
      // One real row of D_in = 5 that claims two: one row of predictions, not a second made of zeros.
      const row = new (class extends Float64Array {
        override get length(): number {
          return 10;
        }
      })(5);
      expect(net.predict(row)).toHaveLength(SIZES.dOut);
    } finally {
      net.dispose();
    }
  });

  it("a BigInt64Array dressed as a Float64Array (own Symbol.toStringTag) is an INVALID_ARRAY, not a TypeError", async () => {
    const x = new BigInt64Array(15);
    Object.defineProperty(x, Symbol.toStringTag, { value: "Float64Array" });
    const error = await TwoLayerNet.create({ ...SIZES, x: x as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TwoLayerError);
    expect((error as TwoLayerError).code).toBe("INVALID_ARRAY");
  });
});

describe("init", () => {
  it("a failed init changes nothing: the build loaded before it still trains, the next create too", async () => {
    const first = await TwoLayerNet.create({ ...SIZES, seed: 5 });
    const loss = first.step(1e-3);
    first.dispose();
    const emptyModule = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]); // valid wasm, none of our exports
    for (const simd of [emptyModule, "not a url::"]) {
      await expect(init({ wasm: { simd } })).rejects.toMatchObject({ code: "WASM_UNAVAILABLE" });
      const again = await TwoLayerNet.create({ ...SIZES, seed: 5 });
      expect(again.step(1e-3)).toBe(loss);
      again.dispose();
    }
  });

  it("a rejected promise for a build it does not load is not left unobserved (which ends a Node process)", async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      // simd: "auto" loads the SIMD build; the scalar build's promise is never awaited by this init.
      await init({ wasm: { scalar: Promise.reject(new Error("fetch failed")) } });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
      // The build whose promise rejected is a WASM_UNAVAILABLE error when it is asked for.
      const error = await TwoLayerNet.create({ ...SIZES, simd: false }).catch((e: unknown) => e);
      expect((error as TwoLayerError).code).toBe("WASM_UNAVAILABLE");
      expect((error as TwoLayerError).message).toMatch(/fetch failed/);
    } finally {
      process.off("unhandledRejection", listener);
    }
  });
});
