// The "js" backend's tiled products against the plain loops they replace, bit for bit: every shape
// where the 4×4 tiles leave rows, columns or both (m % 4 and n % 4 from 0 to 3), k = 1, primes, the
// seed network's; both dtypes (f32: sums in float64, rounded once when stored, as the contract in
// src/js-kernels.ts says). Then whole networks: the js backend against the wasm scalar build, the
// same float64 losses and weights bit for bit, on odd shapes.
import { describe, expect, it } from "vitest";
import * as js from "../src/js-kernels.js";
import { panelsLength, type DType } from "../src/kernels.js";
import { TwoLayerNet } from "../src/index.js";
import { DTYPES, EPSILON, expectClose, expectSame, randomValues } from "./harness.js";

const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 5, 1], [2, 1, 3], [3, 7, 2], [4, 1, 4], [4, 3, 5], [5, 2, 4], [6, 9, 6], [7, 13, 7], [8, 4, 8],
  [9, 11, 13], [13, 17, 3], [17, 2, 19], [31, 29, 23], [64, 10, 100], [64, 100, 10], [100, 64, 10], [64, 1000, 100], [1000, 64, 100],
];

// The plain loops: A(i, p) and B(p, j) as functions, each element summed in increasing p from 0,
// one multiply then one add, in float64.
function plain(m: number, k: number, n: number, A: (i: number, p: number) => number, B: (p: number, j: number) => number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += A(i, p) * B(p, j);
      c[i * n + j] = sum;
    }
  }
  return c;
}

const typed = (dtype: DType, values: number[]) => (dtype === "f64" ? Float64Array.from(values) : Float32Array.from(values));
// What a plain float64 sum becomes in the output array: itself, or rounded once to float32.
const stored = (dtype: DType, c: Float64Array) => (dtype === "f64" ? c : Float32Array.from(c));

describe.each(DTYPES)("js products, %s, against the plain loops (bit for bit)", (dtype) => {
  for (const [m, k, n] of SHAPES) {
    it(`m=${m} k=${k} n=${n}`, () => {
      const a = typed(dtype, randomValues(m * 31 + k, m * k, dtype));
      const b = typed(dtype, randomValues(n * 37 + k, k * n, dtype));
      const garbage = () => typed(dtype, randomValues(5, m * n, dtype)); // outputs must be overwritten
      const shape = `${dtype} m=${m} k=${k} n=${n}`;

      let c = garbage();
      js.gemm_nn(c, a, b, m, k, n);
      expectSame(c, stored(dtype, plain(m, k, n, (i, p) => a[i * k + p], (p, j) => b[p * n + j])), `gemm_nn ${shape}`);

      // gemm_tn reads A stored k×m: the same values, seen transposed.
      c = garbage();
      js.gemm_tn(c, a, b, m, k, n);
      expectSame(c, stored(dtype, plain(m, k, n, (i, p) => a[p * m + i], (p, j) => b[p * n + j])), `gemm_tn ${shape}`);

      // gemm_nt reads B stored n×k.
      c = garbage();
      js.gemm_nt(c, a, b, m, k, n);
      expectSame(c, stored(dtype, plain(m, k, n, (i, p) => a[i * k + p], (p, j) => b[j * k + p])), `gemm_nt ${shape}`);
      // …and with a scratch for Bᵀ that is longer than k·n and holds garbage, as the backend's kept one.
      c = garbage();
      js.gemm_nt(c, a, b, m, k, n, typed(dtype, randomValues(7, k * n + 5, dtype)));
      expectSame(c, stored(dtype, plain(m, k, n, (i, p) => a[i * k + p], (p, j) => b[j * k + p])), `gemm_nt (given scratch) ${shape}`);

      // gemm_pn from pack_panels' panels, with the default panel stride and a wider one.
      const want = stored(dtype, plain(m, k, n, (i, p) => a[i * k + p], (p, j) => b[p * n + j]));
      const panels = typed(dtype, randomValues(6, panelsLength(m, k), dtype));
      js.pack_panels(panels, a, m, k);
      c = garbage();
      js.gemm_pn(c, panels, b, m, k, n);
      expectSame(c, want, `gemm_pn ${shape}`);
      const lda = 4 * k + 3;
      const wide = typed(dtype, randomValues(9, Math.ceil(m / 4) * lda, dtype));
      for (let q = 0; q < Math.ceil(m / 4); q++) wide.set(panels.subarray(4 * k * q, 4 * k * (q + 1)), q * lda);
      c = garbage();
      js.gemm_pn(c, wide, b, m, k, n, lda);
      expectSame(c, want, `gemm_pn lda=${lda} ${shape}`);
    });
  }

  it("propagates NaN and infinities from any operand element", () => {
    const [m, k, n] = [6, 5, 7];
    for (const poison of [NaN, Infinity]) {
      const a = typed(dtype, randomValues(1, m * k, dtype));
      const b = typed(dtype, randomValues(2, k * n, dtype));
      a[2 * k + 3] = poison; // row 2 of A
      const c = new (dtype === "f64" ? Float64Array : Float32Array)(m * n);
      js.gemm_nn(c, a, b, m, k, n);
      expectSame(c, stored(dtype, plain(m, k, n, (i, p) => a[i * k + p], (p, j) => b[p * n + j])), `gemm_nn with ${poison}`);
      expect(c.subarray(2 * n, 3 * n).every((v) => !Number.isFinite(v))).toBe(true);
    }
  });
});

describe("the js backend against the wasm scalar build, whole networks", () => {
  const shapes = [
    { n: 1, dIn: 1, hidden: 1, dOut: 1, learningRate: 1e-3 },
    { n: 5, dIn: 7, hidden: 3, dOut: 2, learningRate: 1e-3 },
    { n: 13, dIn: 17, hidden: 9, dOut: 5, learningRate: 1e-4, seed: 3 },
    { n: 6, dIn: 31, hidden: 11, dOut: 7, learningRate: 1e-4, seed: 8 },
    { n: 64, dIn: 1000, hidden: 100, dOut: 10, iterations: 20 },
  ];
  for (const shape of shapes) {
    const label = Object.entries(shape).map(([key, v]) => `${key}=${v}`).join(" ");
    it(`f64 ${label}: the same losses and weights, bit for bit`, async () => {
      const { iterations = 40, learningRate = 1e-6, ...sizes } = shape;
      const js = await TwoLayerNet.create({ ...sizes, backend: "js" });
      const scalar = await TwoLayerNet.create({ ...sizes, simd: false });
      expect(scalar.backend).toBe("wasm-scalar");
      const [a, b] = [await js.train({ iterations, learningRate }), await scalar.train({ iterations, learningRate })];
      expectSame(a.losses, b.losses, `losses ${label}`);
      expectSame(js.w1, scalar.w1, `w1 ${label}`);
      expectSame(js.w2, scalar.w2, `w2 ${label}`);
      js.dispose();
      scalar.dispose();
    });
    it(`f32 ${label}: losses within float32 rounding of the wasm scalar build's`, async () => {
      const { iterations = 10, learningRate = 1e-6, ...sizes } = shape;
      const js = await TwoLayerNet.create({ ...sizes, dtype: "f32", backend: "js" });
      const scalar = await TwoLayerNet.create({ ...sizes, dtype: "f32", simd: false });
      const [a, b] = [await js.train({ iterations, learningRate }), await scalar.train({ iterations, learningRate })];
      // Each product element differs by at most k roundings of float32; the loss sums N·D_out squares.
      const bound = 64 * Math.max(shape.dIn, shape.hidden) * EPSILON.f32;
      expectClose(a.losses, b.losses, (t) => bound * Math.abs(b.losses[t]), `f32 losses ${label}`);
      js.dispose();
      scalar.dispose();
    });
  }
});

describe("the js backend's scratch (scratchOf)", () => {
  it("keeps one array of the asked type up to its limit, and past it makes a new one each call", () => {
    const scratch = js.scratchOf(100);
    const [f64, f32] = [new Float64Array(1), new Float32Array(1)];
    const a = scratch(f64, 10);
    expect(a).toBeInstanceOf(Float64Array);
    expect(scratch(f64, 7)).toBe(a); // smaller: the same array
    const grown = scratch(f64, 100);
    expect(grown).not.toBe(a);
    expect(grown.length).toBe(100);
    expect(scratch(f64, 50)).toBe(grown);
    const single = scratch(f32, 50);
    expect(single).toBeInstanceOf(Float32Array); // the element type follows C's
    const [big1, big2] = [scratch(f32, 101), scratch(f32, 101)];
    expect(big1.length).toBe(101);
    expect(big1).not.toBe(big2); // past the limit: not kept
    expect(scratch(f32, 50)).toBe(single);
  });
});
