// Holes an adversarial probe of the library API found: each input here once gave a silent wrong
// result or ended the process, and must now give the plain result or a TwoLayerError.
import { describe, expect, it } from "vitest";
import { runInNewContext } from "node:vm";
import { flopsPerStep, init, readArrays, readCsv, TwoLayerError, TwoLayerNet, writeCsv, writeNpy, writeNpz, writeSafetensors } from "../src/index.js";

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

/** `array` after its buffer was transferred away: it reads as empty from then on. */
function detached<T extends Uint8Array | Float64Array>(array: T): T {
  structuredClone(array.buffer, { transfer: [array.buffer as ArrayBuffer] });
  return array;
}

async function refusal(promise: Promise<unknown> | (() => unknown)): Promise<TwoLayerError> {
  const error = await (typeof promise === "function" ? Promise.resolve().then(promise) : promise).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TwoLayerError);
  return error as TwoLayerError;
}

describe("an array whose buffer is detached is named so, not taken for an empty one", () => {
  it("x, predict's x, weights and a wasm build's bytes say detached", async () => {
    const x = await refusal(TwoLayerNet.create({ ...SIZES, x: detached(new Float64Array(15)) }));
    expect(x).toMatchObject({ code: "INVALID_ARRAY", option: "x" });
    expect(x.message).toMatch(/^x's buffer is detached: .*pass one whose buffer is live/);
    for (const weights of [detached(new Uint8Array(8)), detached(new Uint8Array(8)).buffer]) {
      const error = await refusal(TwoLayerNet.create({ weights }));
      expect(error).toMatchObject({ code: "INVALID_OPTION", option: "weights" });
      expect(error.message).toMatch(/^weights' buffer is detached/);
    }
    const wasm = await refusal(init({ wasm: { simd: detached(new Uint8Array(8)) } }));
    expect(wasm).toMatchObject({ code: "INVALID_OPTION", option: "wasm.simd" });
    const net = await TwoLayerNet.create(SIZES);
    try {
      expect((await refusal(() => net.predict(detached(new Float64Array(5))))).message).toMatch(/^x's buffer is detached/);
    } finally {
      net.dispose();
    }
  });

  it("the readers and writers say detached, even for a shape of no elements (once a raw TypeError)", async () => {
    expect((await refusal(() => readArrays(detached(new Uint8Array(8))))).message).toMatch(/^readArrays' buffer is detached/);
    const data = detached(new Float64Array(3));
    for (const write of [() => writeNpy({ data, shape: [0] }), () => writeCsv({ data, shape: [1, 0] }), () => writeNpz({ a: { data, shape: [0] } })]) {
      const error = await refusal(write);
      expect(error.code).toBe("INVALID_ARRAY");
      expect(error.message).toMatch(/data's buffer is detached/);
    }
    // Where a detached array appears in another message, it is described as one.
    expect((await refusal(() => writeNpy({ data: detached(new Uint8Array(4)) as never, shape: [0] }))).message).toMatch(
      /must be a Float64Array or Float32Array, got a Uint8Array of length 0 whose buffer is detached$/,
    );
  });
});

describe("the writers read a typed array by its internal slots, as create does", () => {
  class Lying extends Float64Array {
    override get length(): number {
      return 15;
    }
  }

  it("a Float64Array whose length getter lies is refused for its real length, and written as what it holds (once a corrupt file)", async () => {
    const lying = new Lying([1, 2, 3]);
    for (const write of [
      () => writeNpy({ data: lying, shape: [15] }),
      () => writeSafetensors({ a: { data: lying, shape: [15] } }),
      () => writeCsv({ data: lying, shape: [5, 3] }),
    ]) {
      const error = await refusal(write);
      expect(error.code).toBe("INVALID_ARRAY");
      expect(error.message).toMatch(/holds 15 elements but .*data has 3$/);
    }
    for (const bytes of [writeNpy({ data: lying, shape: [3] }), writeSafetensors({ a: { data: lying, shape: [3] } })]) {
      const [array] = Object.values(await readArrays(bytes));
      expect(array).toEqual({ data: new Float64Array([1, 2, 3]), shape: [3] });
    }
  });

  it("another realm's Float64Array is written (once refused as not a Float64Array)", async () => {
    const data = runInNewContext("new Float64Array([1.5, -2, 3])") as Float64Array;
    expect(Object.values(await readArrays(writeNpy({ data, shape: [3] })))).toEqual([{ data: new Float64Array([1.5, -2, 3]), shape: [3] }]);
  });

  it("a shape whose entries are getters is read once: what is checked is what is written", async () => {
    let reads = 0;
    const shape = [3];
    Object.defineProperty(shape, 0, { get: () => (reads++ === 0 ? 3 : 15), enumerable: true });
    const [array] = Object.values(await readArrays(writeNpy({ data: new Float64Array([1, 2, 3]), shape })));
    expect(array.shape).toEqual([3]);
    expect(reads).toBe(1);
  });
});

describe("the file functions read what they are given as the rest of the API does", () => {
  it("a revoked proxy or a throwing getter anywhere in a writer's argument is INVALID_ARRAY, not a raw TypeError", async () => {
    const revoked = <T extends object>(target: T): T => {
      const { proxy, revoke } = Proxy.revocable(target, {});
      revoke();
      return proxy;
    };
    const data = new Float64Array(3);
    for (const write of [
      () => writeNpz(revoked({})),
      () => writeSafetensors(revoked([]) as never),
      () => writeNpy(revoked({}) as never),
      () => writeNpy({ data, shape: revoked([]) }),
      () => writeCsv({ data, get shape(): number[] { throw new Error("no shape"); } }),
      () => writeNpz({ get a(): never { throw new Error("no a"); } }),
    ]) {
      const error = await refusal(write);
      expect(error.code).toBe("INVALID_ARRAY");
      expect(error.message).toMatch(/^reading .* threw: /);
    }
  });

  it("readCsv's and readArrays' options are checked: a misspelt one is UNKNOWN_OPTION (once silently ignored)", async () => {
    expect((await refusal(() => readCsv("a\n1\n", { heder: false } as never))).message).toBe('readCsv has no option "heder"; did you mean "header"? (options: header)');
    const npy = writeNpy({ data: new Float64Array(1), shape: [1] });
    expect(await refusal(readArrays(npy, { nmae: "w.npy" } as never))).toMatchObject({ code: "UNKNOWN_OPTION" });
    expect(await refusal(readArrays(npy, { name: 5 } as never))).toMatchObject({ code: "INVALID_OPTION", message: "readArrays: name must be a string (a file name), got 5" });
    expect(await refusal(() => readCsv("1\n", null as never))).toMatchObject({ code: "INVALID_OPTION" });
  });
});

describe("flopsPerStep", () => {
  it("of a revoked proxy is INVALID_OPTION, not a raw TypeError from instanceof", async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(await refusal(() => flopsPerStep(proxy))).toMatchObject({ code: "INVALID_OPTION", message: expect.stringMatching(/^reading flopsPerStep's argument threw: /) });
  });
});
