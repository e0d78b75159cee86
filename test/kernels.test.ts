// Every wasm kernel, both builds (SIMD and scalar), both dtypes, against the plain TypeScript
// reference on odd shapes (sizes of 1, primes, every SIMD tail), with guard values around every buffer.
import { describe, expect, it } from "vitest";
import * as ref from "../src/js-kernels.js";
import type { DType } from "../src/kernels.js";
import { BUILDS, DTYPES, EPSILON, expectClose, expectSame, guardedBlock, kernelsFor, randomValues, wasm } from "./harness.js";

// [m, k, n]: ones, primes, tails of every SIMD width (2 lanes f64, 4 lanes f32), and the seed network's.
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 1, 5], [1, 7, 1], [5, 1, 3], [2, 3, 4], [3, 5, 7], [4, 8, 6], [17, 33, 9], [9, 2, 13],
  [7, 11, 3], [13, 4, 2], [31, 17, 29], [64, 10, 100], [64, 100, 10], [100, 64, 10], [64, 1000, 100], [1000, 64, 100],
];

type Gemm = "gemm_nn" | "gemm_tn" | "gemm_nt";
// The stored shapes of A and B for C[m×n] = op(A)·op(B).
const OPERANDS: Record<Gemm, (m: number, k: number, n: number) => [number, number]> = {
  gemm_nn: (m, k, n) => [m * k, k * n],
  gemm_tn: (m, k, n) => [k * m, k * n],
  gemm_nt: (m, k, n) => [m * k, n * k],
};

// C = op(A)·op(B) in float64 with the plain loops, and Σ|a·b| per element for the error bound.
function reference(gemm: Gemm, a: number[], b: number[], m: number, k: number, n: number) {
  const c = new Float64Array(m * n);
  ref[gemm](c, Float64Array.from(a), Float64Array.from(b), m, k, n);
  const abs = new Float64Array(m * n);
  ref[gemm](abs, Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs), m, k, n);
  return { c, abs };
}

describe.each(BUILDS)("%s build", (build) => {
  describe.each(DTYPES)("%s", (dtype: DType) => {
    for (const gemm of ["gemm_nn", "gemm_tn", "gemm_nt"] as Gemm[]) {
      it(`${gemm} matches the reference on ${SHAPES.length} shapes`, async () => {
        const w = await wasm(build);
        const k_ = await kernelsFor(build, dtype);
        for (const [m, k, n] of SHAPES) {
          const shape = `${build} ${dtype} ${gemm} m=${m} k=${k} n=${n}`;
          const [aLength, bLength] = OPERANDS[gemm](m, k, n);
          const a = randomValues(m * 1000 + k, aLength, dtype);
          const b = randomValues(n * 1000 + k + 1, bLength, dtype);
          const A = guardedBlock(w, dtype, a);
          const B = guardedBlock(w, dtype, b);
          const C = guardedBlock(w, dtype, randomValues(7, m * n, dtype)); // garbage: must be overwritten
          k_[gemm](C, A, B, m, k, n);
          const { c, abs } = reference(gemm, a, b, m, k, n);
          // Rounding error of a k-term dot product, plus rounding the result to the dtype.
          expectClose(C.array, c, (i) => (k + 2) * EPSILON[dtype] * abs[i], shape);
          if (dtype === "f64" && gemm !== "gemm_nt") expectSame(C.array, c, shape); // same summation order
          for (const [X, name] of [[A, "A"], [B, "B"], [C, "C"]] as const) X.checkGuards(`${shape} ${name}`);
          expect(Array.from(A.array), `${shape}: A is read only`).toEqual(a);
          expect(Array.from(B.array), `${shape}: B is read only`).toEqual(b);
          [A, B, C].forEach((X) => X.free());
        }
      });
    }

    const LENGTHS = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 640, 6400, 6401];

    it("relu_forward is numpy's maximum(h, 0) on every tail, in place too", async () => {
      const w = await wasm(build);
      const k = await kernelsFor(build, dtype);
      for (const len of LENGTHS) {
        const h = randomValues(len, len, dtype);
        const H = guardedBlock(w, dtype, h);
        const out = guardedBlock(w, dtype, randomValues(1, len, dtype));
        k.relu_forward(out, H, len);
        const want = new Float64Array(len);
        ref.relu_forward(want, Float64Array.from(h), len);
        expectSame(out.array, want, `${build} ${dtype} relu_forward len=${len}`);
        k.relu_forward(H, H, len); // in place
        expectSame(H.array, want, `${build} ${dtype} relu_forward in place len=${len}`);
        H.checkGuards(`relu_forward len=${len} h`);
        out.checkGuards(`relu_forward len=${len} out`);
        [H, out].forEach((X) => X.free());
      }
    });

    it("relu_forward maps −0 to +0, keeps NaN, +Inf and clips −Inf", async () => {
      const w = await wasm(build);
      const k = await kernelsFor(build, dtype);
      const h = [-0, 0, NaN, -1, 1, Infinity, -Infinity, -0, NaN];
      const H = guardedBlock(w, dtype, h);
      k.relu_forward(H, H, h.length);
      expectSame(H.array, [0, 0, NaN, 0, 1, Infinity, 0, 0, NaN], `${build} ${dtype} relu_forward special values`);
      H.free();
    });

    it("relu_backward zeroes exactly where h < 0 (not at −0, 0 or NaN) on every tail", async () => {
      const w = await wasm(build);
      const k = await kernelsFor(build, dtype);
      for (const len of LENGTHS) {
        const h = randomValues(len + 3, len, dtype);
        h[0] = -0;
        if (len > 1) h[1] = NaN;
        if (len > 2) h[2] = 0;
        const g = randomValues(len + 4, len, dtype);
        const H = guardedBlock(w, dtype, h);
        const G = guardedBlock(w, dtype, g);
        k.relu_backward(G, H, len);
        const want = Float64Array.from(g);
        for (let i = 0; i < len; i++) if (h[i] < 0) want[i] = 0;
        expectSame(G.array, want, `${build} ${dtype} relu_backward len=${len}`);
        expectSame(H.array, Float64Array.from(h), `${build} ${dtype} relu_backward leaves h`);
        G.checkGuards(`relu_backward len=${len}`);
        [H, G].forEach((X) => X.free());
      }
    });

    it("sse_loss_grad returns the sum of squares and writes 2(pred − y) on every tail", async () => {
      const w = await wasm(build);
      const k = await kernelsFor(build, dtype);
      for (const len of LENGTHS) {
        const pred = randomValues(len + 5, len, dtype, 3);
        const y = randomValues(len + 6, len, dtype);
        const P = guardedBlock(w, dtype, pred);
        const Y = guardedBlock(w, dtype, y);
        const G = guardedBlock(w, dtype, new Array(len).fill(0));
        const loss = k.sse_loss_grad(G, P, Y, len);
        const round = dtype === "f32" ? Math.fround : (v: number) => v;
        const d = pred.map((p, i) => round(p - y[i]));
        const want = d.reduce((s, v) => s + v * v, 0);
        expect(Math.abs(loss - want), `${build} ${dtype} loss len=${len}: got ${loss}, want ${want}`).toBeLessThanOrEqual(len * 2 ** -52 * want);
        expectSame(G.array, d.map((v) => round(2 * v)), `${build} ${dtype} grad len=${len}`);
        [P, Y, G].forEach((X) => X.checkGuards(`sse_loss_grad len=${len}`));
        [P, Y, G].forEach((X) => X.free());
      }
    });

    it("sse_loss_grad propagates NaN and Infinity to the loss", async () => {
      const w = await wasm(build);
      const k = await kernelsFor(build, dtype);
      for (const [bad, want] of [[NaN, NaN], [Infinity, Infinity]]) {
        for (const len of [1, 5, 8]) {
          const pred = new Array(len).fill(1);
          pred[len - 1] = bad;
          const P = guardedBlock(w, dtype, pred);
          const Y = guardedBlock(w, dtype, new Array(len).fill(0));
          const G = guardedBlock(w, dtype, new Array(len).fill(0));
          expect(k.sse_loss_grad(G, P, Y, len), `${build} ${dtype} len=${len} with ${bad}`).toBe(want);
          [P, Y, G].forEach((X) => X.free());
        }
      }
    });

    it("sgd updates w in place as numpy's w -= lr * g, on every tail", async () => {
      const w = await wasm(build);
      const k = await kernelsFor(build, dtype);
      for (const len of LENGTHS) {
        const wv = randomValues(len + 7, len, dtype);
        const gv = randomValues(len + 8, len, dtype, 1000);
        const W = guardedBlock(w, dtype, wv);
        const G = guardedBlock(w, dtype, gv);
        const lr = 1e-3;
        k.sgd(W, G, lr, len);
        const want = dtype === "f64" ? new Float64Array(len) : new Float32Array(len);
        want.set(wv);
        ref.sgd(want, dtype === "f64" ? Float64Array.from(gv) : Float32Array.from(gv), lr, len);
        expectSame(W.array, want, `${build} ${dtype} sgd len=${len}`);
        expectSame(G.array, Float64Array.from(gv), `${build} ${dtype} sgd leaves g`);
        W.checkGuards(`sgd len=${len}`);
        [W, G].forEach((X) => X.free());
      }
    });
  });
});

describe("SIMD and scalar builds agree", () => {
  it.each(DTYPES)("%s: the matrix products of the seed network agree to rounding", async (dtype) => {
    const [simd, scalar] = [await wasm("simd"), await wasm("scalar")];
    const [m, k, n] = [64, 1000, 100];
    const a = randomValues(1, m * k, dtype);
    const b = randomValues(2, k * n, dtype);
    const out = [];
    for (const [build, w] of [["simd", simd], ["scalar", scalar]] as const) {
      const A = guardedBlock(w, dtype, a);
      const B = guardedBlock(w, dtype, b);
      const C = guardedBlock(w, dtype, new Array(m * n).fill(0));
      (await kernelsFor(build, dtype)).gemm_nn(C, A, B, m, k, n);
      out.push(Array.from(C.array));
      [A, B, C].forEach((X) => X.free());
    }
    const { abs } = reference("gemm_nn", a, b, m, k, n);
    expectClose(out[0], out[1], (i) => 2 * (k + 2) * EPSILON[dtype] * abs[i], `simd vs scalar ${dtype} gemm_nn ${m}×${k}×${n}`);
  });
});
