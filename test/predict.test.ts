// net.predict: numpy's np.maximum(x @ w1, 0) @ w2 to 1e-12 relative; the network's own yPred bit for
// bit on the training x (one thread, threads, FMA); a plain reference's bits on odd shapes and any
// number of rows; the training state untouched; bad input refused before memory is touched.
import { describe, expect, it } from "vitest";
import { loadedBuild } from "../src/builds/load.js";
import { readArrays, TwoLayerNet, type DType, type NetOptions } from "../src/index.js";
import { gemm_nn } from "../src/js-kernels.js";
import { checkGuards, openNetwork } from "../src/net.js";
import { netOptions } from "../src/options.js";
import { expectError, hex, trainedSmall, weightsFixture } from "./weights-harness.js";

const RUNS: [string, NetOptions][] = [
  ["wasm SIMD", {}],
  ["wasm scalar", { simd: false }],
  ["js", { backend: "js" }],
  ["2 threads", { threads: 2 }],
  ["fma", { fma: true }],
];

/** The plain program in float64: relu(x·w1)·w2, each sum in increasing k from +0, one multiply then one add (the kernels' order). */
function reference(x: Float64Array, w1: Float64Array, w2: Float64Array, rows: number, dIn: number, H: number, dOut: number): Float64Array {
  const h = new Float64Array(rows * H);
  gemm_nn(h, x, w1, rows, dIn, H);
  for (let i = 0; i < h.length; i++) h[i] = Math.max(h[i], 0);
  const y = new Float64Array(rows * dOut);
  gemm_nn(y, h, w2, rows, H, dOut);
  return y;
}

describe("predict matches numpy's np.maximum(x @ w1, 0) @ w2 in f64", () => {
  for (const [weights, inputs] of [["trained.npz", "trained-predict.npz"], ["odd.npz", "odd-predict.npz"]]) {
    it.each(RUNS)(`${weights}, %s: within 1e-12 relative, every element`, async (_, options) => {
      const { x, y_pred: want } = await readArrays(weightsFixture(inputs));
      const net = await TwoLayerNet.create({ weights: weightsFixture(weights), n: 1, ...options });
      const got = net.predict(x.data);
      expect(got).toBeInstanceOf(Float64Array);
      expect(got.length).toBe(want.data.length);
      for (let i = 0; i < got.length; i++) {
        const rel = Math.abs(got[i] - want.data[i]) / Math.abs(want.data[i]);
        expect(rel, `y_pred[${i}]: ${got[i]} vs numpy's ${want.data[i]}`).toBeLessThan(1e-12);
      }
      net.dispose();
    });
  }
});

describe("predict on the training x is the network's own yPred, bit for bit", () => {
  for (const dtype of ["f64", "f32"] as DType[]) {
    it.each(RUNS)(`${dtype}, %s, the tutorial's sizes and odd ones`, async (_, options) => {
      for (const sizes of [{}, { n: 7, dIn: 37, hidden: 13, dOut: 5 }, { n: 1, dIn: 1, hidden: 1, dOut: 1 }]) {
        const net = await TwoLayerNet.create({ seed: 3, dtype, ...sizes, ...options });
        for (let t = 0; t < 3; t++) net.step(1e-6);
        net.forwardBackward();
        const got = net.predict(net.x);
        expect(got).toBeInstanceOf(dtype === "f64" ? Float64Array : Float32Array);
        expect(hex(got), JSON.stringify(sizes)).toBe(hex(net.yPred));
        net.dispose();
      }
    });
  }
});

describe("predict on any number of rows", () => {
  it.each(RUNS.filter(([name]) => !name.includes("fma")))("%s: the plain reference's bits, row by row or all at once (f64)", async (_, options) => {
    const net = await trainedSmall(options);
    const w1 = Float64Array.from(net.w1);
    const w2 = Float64Array.from(net.w2);
    for (const rows of [1, 2, 3, 4, 5, 9, 64, 129]) {
      const x = Float64Array.from({ length: rows * 7 }, (_, i) => Math.sin(i * 0.37 + rows));
      const want = reference(x, w1, w2, rows, 7, 3, 2);
      expect(hex(net.predict(x)), `${rows} rows`).toBe(hex(want));
      const alone = Array.from({ length: rows }, (_, r) => Array.from(net.predict(x.subarray(r * 7, (r + 1) * 7)))).flat();
      expect(hex(Float64Array.from(alone))).toBe(hex(want));
    }
    net.dispose();
  });

  it("more rows than one pass of scratch holds: passes of whole rows, the same bits", async () => {
    // About 16.9 kB of scratch per row at these sizes: 2,500 rows take three passes.
    const net = await TwoLayerNet.create({ n: 3, dIn: 1000, hidden: 100, dOut: 10, seed: 5 });
    const rows = 2500;
    const x = Float64Array.from({ length: rows * 1000 }, (_, i) => Math.sin(i * 0.001));
    const got = net.predict(x);
    const want = reference(x, Float64Array.from(net.w1), Float64Array.from(net.w2), rows, 1000, 100, 10);
    expect(hex(got)).toBe(hex(want));
    net.dispose();
  });

  it("number[] and Float32Array inputs; an f32 network rounds x to float32 as its own x does", async () => {
    const net = await trainedSmall({ dtype: "f32" });
    const x = Array.from({ length: 14 }, (_, i) => 0.1 * i - 0.55);
    const viaF32 = net.predict(Float32Array.from(x));
    expect(hex(net.predict(x))).toBe(hex(viaF32));
    expect(hex(net.predict(Float64Array.from(x)))).toBe(hex(viaF32));
    net.dispose();
  });
});

describe("predict leaves the training state as it was", () => {
  it.each(RUNS)("%s: x, y, w1, w2, h, yPred and the gradients keep their bits, and training goes on the same", async (_, options) => {
    const a = await TwoLayerNet.create({ n: 9, dIn: 33, hidden: 17, dOut: 3, seed: 2, ...options });
    const b = await TwoLayerNet.create({ n: 9, dIn: 33, hidden: 17, dOut: 3, seed: 2, ...options });
    a.step(1e-3);
    b.step(1e-3);
    a.forwardBackward();
    b.forwardBackward();
    const views = (net: TwoLayerNet) => [net.x, net.y, net.w1, net.w2, net.h, net.yPred, net.gradW1, net.gradW2].map(hex);
    const before = views(a);
    a.predict(Float64Array.from({ length: 50 * 33 }, (_, i) => Math.cos(i)));
    a.predict(a.x);
    expect(views(a)).toEqual(before);
    for (let t = 0; t < 3; t++) expect(Object.is(a.step(1e-3), b.step(1e-3))).toBe(true);
    a.dispose();
    b.dispose();
  });

  it("writes nowhere but its own scratch (guard bytes around every block of the network)", async () => {
    const net = await openNetwork(netOptions({ n: 5, dIn: 11, hidden: 6, dOut: 3, seed: 1 }), true);
    net.forwardBackward();
    net.predict(Float64Array.from({ length: 13 * 11 }, (_, i) => i / 7 - 9));
    checkGuards(net);
    net.dispose();
  });

  it("returns its scratch: many predictions do not grow wasm memory", async () => {
    const net = await trainedSmall();
    const { memory } = await loadedBuild("simd");
    const x = new Float64Array(100 * 7).fill(0.5);
    net.predict(x);
    const before = memory.buffer.byteLength;
    for (let i = 0; i < 500; i++) net.predict(x);
    expect(memory.buffer.byteLength).toBe(before);
    net.dispose();
  });
});

describe("predict refuses bad input with INVALID_ARRAY, before touching memory", () => {
  it("wrong lengths, no rows, non-finite values, wrong types", async () => {
    const net = await trainedSmall();
    await expectError(() => net.predict(new Float64Array(15)), "INVALID_ARRAY", "x must hold whole rows of the input width D_in = 7 numbers", "got 15, which leaves 1 over");
    await expectError(() => net.predict(new Float64Array(6)), "INVALID_ARRAY", "got 6");
    for (const none of [[], new Float64Array(0)]) await expectError(() => net.predict(none), "INVALID_ARRAY", "at least one row", "got none");
    for (const [value, words] of [[NaN, "x[3] is NaN"], [Infinity, "x[3] is Infinity"], [-Infinity, "x[3] is -Infinity"]] as const) {
      const x = new Float64Array(14).fill(1);
      x[3] = value;
      await expectError(() => net.predict(x), "INVALID_ARRAY", words);
      await expectError(() => net.predict(Array.from(x)), "INVALID_ARRAY", words);
    }
    const strings = Array.from({ length: 7 }, () => 1 as unknown);
    strings[2] = "1";
    await expectError(() => net.predict(strings as number[]), "INVALID_ARRAY", 'x[2] must be a number, got "1"');
    for (const value of [undefined, null, 7, "1,2,3", {}, new Map(), new Int32Array(7), new Uint8Array(7), { length: 7 }]) {
      await expectError(() => net.predict(value as never), "INVALID_ARRAY", "x must be a Float64Array, Float32Array or array of numbers");
    }
    const throwing = new Proxy(new Array(7).fill(0), { get: (t, k) => (k === "4" ? (() => { throw new Error("boom"); })() : Reflect.get(t, k)) });
    await expectError(() => net.predict(throwing), "INVALID_ARRAY", "reading x[4] threw: boom");
    // An array claiming more elements than any engine copies (a proxy's length) is refused, not a RangeError.
    const huge = new Proxy([], { get: (t, k) => (k === "length" ? 7 * 2 ** 31 : Reflect.get(t, k)) });
    await expectError(() => net.predict(huge), "OUT_OF_MEMORY", `x claims ${7 * 2 ** 31} elements`);
    net.dispose();
  });

  it("an f32 network refuses values beyond float32's range", async () => {
    const net = await trainedSmall({ dtype: "f32" });
    const x = new Float64Array(7).fill(1);
    x[6] = 1e39;
    await expectError(() => net.predict(x), "INVALID_ARRAY", "x[6] is 1e+39, beyond float32's range");
    net.dispose();
  });

  it("a disposed network refuses with DISPOSED", async () => {
    const net = await trainedSmall();
    net.dispose();
    await expectError(() => net.predict(new Float64Array(7)), "DISPOSED");
  });
});
