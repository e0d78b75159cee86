// Every wasm kernel, every build (SIMD, scalar, FMA, threads, threads-FMA, and the SIMD and scalar
// debug builds with asserts on), both dtypes, against the plain TypeScript reference on odd shapes
// (sizes of 1, primes, every SIMD tail and micro-kernel tail), with guard values around every buffer;
// the debug builds refusing calls that break a contract, and the shipped builds carrying no asserts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jsGramKernels } from "../src/js-gram-kernels.js";
import * as ref from "../src/js-kernels.js";
import { ntMaskScratchLength, panelsLength, type DType } from "../src/kernels.js";
import type { WasmExports } from "../src/builds/builds.js";
import { defaultWasmUrl } from "../src/builds/source.js";
import { wasmKernels } from "../src/wasm-kernels.js";
import { BUILDS, DEBUG_BUILDS, DTYPES, EPSILON, debugWasmUrl, exact, expectClose, expectSame, guardedBlock, kernelsFor, randomValues, wasm, type TestBuild } from "./harness.js";

// [m, k, n]: ones, primes, tails of every SIMD width (2 lanes f64, 4 lanes f32), and the seed network's.
// The micro-kernels' tiles are 4 rows × 4 (f64) or 8 (f32) columns, then a 1-vector tile, then single
// columns: m % 4 = 1, 2, 3 and n % 8 = 1 … 7 all occur.
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 1, 5], [1, 7, 1], [5, 1, 3], [2, 3, 4], [3, 5, 7], [4, 8, 6], [17, 33, 9], [9, 2, 13],
  [7, 11, 3], [13, 4, 2], [31, 17, 29], [6, 5, 11], [10, 3, 15], [8, 9, 16], [11, 2, 17], [64, 10, 100],
  [64, 100, 10], [100, 64, 10], [64, 1000, 100], [1000, 64, 100],
];

type Gemm = "gemm_nn" | "gemm_tn" | "gemm_nt";
// The stored shapes of A and B for C[m×n] = op(A)·op(B).
const OPERANDS: Record<Gemm | "gemm_pn", (m: number, k: number, n: number) => [number, number]> = {
  gemm_nn: (m, k, n) => [m * k, k * n],
  gemm_tn: (m, k, n) => [k * m, k * n],
  gemm_nt: (m, k, n) => [m * k, n * k],
  gemm_pn: (m, k, n) => [m * k, k * n], // A as gemm_nn's, packed by pack_panels first
};

// C = op(A)·op(B) in float64 with the plain loops, and Σ|a·b| per element for the error bound.
function reference(gemm: Gemm | "gemm_pn", a: number[], b: number[], m: number, k: number, n: number) {
  if (gemm === "gemm_pn") gemm = "gemm_nn";
  const c = new Float64Array(m * n);
  ref[gemm](c, Float64Array.from(a), Float64Array.from(b), m, k, n);
  const abs = new Float64Array(m * n);
  ref[gemm](abs, Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs), m, k, n);
  return { c, abs };
}

const ALL_BUILDS: TestBuild[] = [...BUILDS, ...DEBUG_BUILDS];

describe.each(ALL_BUILDS)("%s build", (build) => {
  describe.each(DTYPES)("%s", (dtype: DType) => {
    // The kernels the backend uses: the micro-kernels in SIMD builds, the plain loops in the scalar one
    // (every build exports them under the same names).
    for (const gemm of ["gemm_nn", "gemm_tn", "gemm_nt", "gemm_pn"] as const) {
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
          const P = guardedBlock(w, dtype, randomValues(8, panelsLength(m, k), dtype)); // garbage too
          if (gemm === "gemm_pn") {
            k_.pack_panels(P, A, m, k);
            const want = new Float64Array(panelsLength(m, k));
            ref.pack_panels(want, Float64Array.from(a), m, k);
            expectSame(P.array, want, `${shape} pack_panels`);
            k_.gemm_pn(C, P, B, m, k, n);
          } else {
            k_[gemm](C, A, B, m, k, n);
          }
          const { c, abs } = reference(gemm, a, b, m, k, n);
          // Rounding error of a k-term dot product, plus rounding the result to the dtype.
          expectClose(C.array, c, (i) => (k + 2) * EPSILON[dtype] * abs[i], shape);
          // Without FMA every kernel sums in increasing k with one multiply then one add, as the reference.
          if (dtype === "f64" && exact(build)) expectSame(C.array, c, shape);
          for (const [X, name] of [[A, "A"], [B, "B"], [C, "C"], [P, "panels"]] as const) X.checkGuards(`${shape} ${name}`);
          expect(Array.from(A.array), `${shape}: A is read only`).toEqual(a);
          expect(Array.from(B.array), `${shape}: B is read only`).toEqual(b);
          [A, B, C, P].forEach((X) => X.free());
        }
      });
    }

    // How threads cut the big products: gemm_pn over a K range of larger panels, gemm_tn over a
    // range of C rows with A's full row stride.
    it("gemm_pn on a K range (lda > 4k) and gemm_tn on a row range (lda > m) compute exactly that part", async () => {
      const w = await wasm(build);
      const S = dtype;
      const bytes = dtype === "f64" ? 8 : 4;
      for (const [m, K, n, p0, p1] of [[9, 23, 13, 5, 17], [64, 100, 10, 50, 100], [3, 7, 9, 0, 3]]) {
        const a = randomValues(m * K, m * K, dtype);
        const b = randomValues(K * n, K * n, dtype);
        const A = guardedBlock(w, dtype, a);
        const B = guardedBlock(w, dtype, b);
        const P = guardedBlock(w, dtype, new Array(panelsLength(m, K)).fill(0));
        const C = guardedBlock(w, dtype, new Array(m * n).fill(0));
        w[`pack_panels_${S}`](P.offset, A.offset, m, K);
        w[`gemm_pn_${S}`](C.offset, P.offset + 4 * p0 * bytes, B.offset + p0 * n * bytes, m, p1 - p0, n, 4 * K);
        // The reference on the sub-matrices A[:, p0:p1] and B[p0:p1, :].
        const aPart = Float64Array.from({ length: m * (p1 - p0) }, (_, e) => a[Math.floor(e / (p1 - p0)) * K + p0 + (e % (p1 - p0))]);
        const want = new Float64Array(m * n);
        ref.gemm_nn(want, aPart, Float64Array.from(b.slice(p0 * n, p1 * n)), m, p1 - p0, n);
        const shape = `${build} ${dtype} gemm_pn K range [${p0}, ${p1}) of ${m}×${K}×${n}`;
        if (dtype === "f64" && exact(build)) expectSame(C.array, want, shape);
        else expectClose(C.array, want, () => (K + 2) * EPSILON[dtype] * 10 * K, shape);
        C.checkGuards(shape);
        [A, B, P, C].forEach((X) => X.free());
      }
      for (const [M, k, n, i0, i1] of [[23, 9, 13, 4, 17], [1000, 64, 100, 500, 1000], [10, 3, 5, 8, 10]]) {
        const a = randomValues(M * k + 1, k * M, dtype); // stored k×M
        const b = randomValues(k * n + 1, k * n, dtype);
        const A = guardedBlock(w, dtype, a);
        const B = guardedBlock(w, dtype, b);
        const C = guardedBlock(w, dtype, new Array((i1 - i0) * n).fill(0));
        w[`gemm_tn_${S}`](C.offset, A.offset + i0 * bytes, B.offset, i1 - i0, k, n, M);
        const full = new Float64Array(M * n);
        ref.gemm_tn(full, Float64Array.from(a), Float64Array.from(b), M, k, n);
        const want = full.slice(i0 * n, i1 * n);
        const shape = `${build} ${dtype} gemm_tn rows [${i0}, ${i1}) of ${M}×${k}×${n}`;
        if (dtype === "f64" && exact(build)) expectSame(C.array, want, shape);
        else expectClose(C.array, want, () => (k + 2) * EPSILON[dtype] * 10 * k, shape);
        C.checkGuards(shape);
        [A, B, C].forEach((X) => X.free());
      }
    });

    const LENGTHS = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 640, 6400, 6401];

    it("accumulate adds a into out element-wise, on every tail", async () => {
      const w = await wasm(build);
      const S = dtype === "f64" ? "f64" : "f32";
      for (const len of LENGTHS) {
        const out = randomValues(len + 9, len, dtype);
        const a = randomValues(len + 10, len, dtype);
        const O = guardedBlock(w, dtype, out);
        const A = guardedBlock(w, dtype, a);
        w[`accumulate_${S}`](O.offset, A.offset, len);
        const want = dtype === "f64" ? Float64Array.from(out) : Float32Array.from(out);
        ref.accumulate(want, dtype === "f64" ? Float64Array.from(a) : Float32Array.from(a), len);
        expectSame(O.array, want, `${build} ${dtype} accumulate len=${len}`);
        expectSame(A.array, Float64Array.from(a), `${build} ${dtype} accumulate leaves a`);
        O.checkGuards(`accumulate len=${len}`);
        [O, A].forEach((X) => X.free());
      }
    });

    it("copy_relu_forward copies src into h bit for bit (−0, NaN and infinities included) and is relu_forward into out, on every tail", async () => {
      const w = await wasm(build);
      const S = dtype === "f64" ? "f64" : "f32";
      for (const len of LENGTHS) {
        const src = randomValues(len + 11, len, dtype).map((v, i) => [v, -0, NaN, Infinity, -Infinity, 0][i % 6] ?? v);
        const H = guardedBlock(w, dtype, randomValues(len + 12, len, dtype));
        const O = guardedBlock(w, dtype, randomValues(len + 13, len, dtype));
        const A = guardedBlock(w, dtype, src);
        w[`copy_relu_forward_${S}`](H.offset, O.offset, A.offset, len);
        const want = dtype === "f64" ? Float64Array.from(src) : Float32Array.from(src);
        const relu = want.slice();
        ref.relu_forward(relu, want, len);
        expectSame(H.array, want, `${build} ${dtype} copy_relu_forward h len=${len}`);
        expectSame(O.array, relu, `${build} ${dtype} copy_relu_forward out len=${len}`);
        expectSame(A.array, want, `${build} ${dtype} copy_relu_forward leaves src`);
        [H, O, A].forEach((X) => X.checkGuards(`copy_relu_forward len=${len}`));
        [H, O, A].forEach((X) => X.free());
      }
    });

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

    it("sgd_check finds the first element sgd would make non-finite (or none), as the reference, writing nothing", async () => {
      const w = await wasm(build);
      const k = await kernelsFor(build, dtype);
      const huge = dtype === "f64" ? 1e308 : 3e38;
      for (const len of LENGTHS) {
        // None; then one bad element at every position class (first, a SIMD tail, the last), and two.
        const spots = [[], [0], [len - 1], [Math.floor(len / 2)], [len - 1, Math.floor(len / 3)]].filter((s) => s.every((i) => i < len));
        for (const bad of spots) {
          for (const kind of ["overflow", "NaN in g", "Infinity in w"] as const) {
            const wv = randomValues(len + 3, len, dtype);
            const gv = randomValues(len + 4, len, dtype);
            for (const i of bad) {
              if (kind === "overflow") [wv[i], gv[i]] = [huge, -huge * 1000]; // w − lr·g with lr = 1e-3 overflows
              else if (kind === "NaN in g") gv[i] = NaN;
              else wv[i] = -Infinity;
            }
            const W = guardedBlock(w, dtype, wv);
            const G = guardedBlock(w, dtype, gv);
            const label = `${build} ${dtype} sgd_check len=${len} ${kind} at ${bad.join() || "none"}`;
            const want = ref.sgd_check(W.array.slice(), G.array.slice(), 1e-3, len);
            expect(want, `${label}: the reference`).toBe(bad.length ? Math.min(...bad) : -1);
            expect(k.sgd_check(W, G, 1e-3, len), label).toBe(want);
            expectSame(W.array, dtype === "f64" ? Float64Array.from(wv) : Float32Array.from(wv), `${label}: w unchanged`);
            // sgd_into_checked: sgd's values into out (w left as it was) and sgd_check's answer, in one pass.
            const O = guardedBlock(w, dtype, randomValues(len + 5, len, dtype));
            const updated = dtype === "f64" ? Float64Array.from(wv) : Float32Array.from(wv);
            ref.sgd(updated, dtype === "f64" ? Float64Array.from(gv) : Float32Array.from(gv), 1e-3, len);
            expect(wasmKernels(w, dtype).sgd_into_checked(O, W, G, 1e-3, len), `${label}: sgd_into_checked`).toBe(want);
            expectSame(O.array, updated, `${label}: sgd_into_checked's out is sgd's w`);
            expectSame(W.array, dtype === "f64" ? Float64Array.from(wv) : Float32Array.from(wv), `${label}: sgd_into_checked leaves w`);
            expect(jsGramKernels().sgd_into_checked(O, W, G, 1e-3, len), `${label}: the js backend's sgd_into_checked`).toBe(want);
            [W, G, O].forEach((X) => X.checkGuards(label));
            [W, G, O].forEach((X) => X.free());
          }
        }
      }
    });
  });
});

describe.each(ALL_BUILDS)("take_chunk, %s build", (build) => {
  it("hands out every chunk exactly once: each thread its own range in order, then what is left of the others'", async () => {
    const w = await wasm(build);
    for (const [chunks, threads] of [[4, 2], [8, 2], [7, 3], [1, 2], [12, 4], [0, 1], [5, 1]]) {
      // The per-thread counters alone: take_chunk knows no more of the control block.
      const counters = w.heap_alloc(4 * threads);
      new Int32Array(w.memory.buffer, counters, threads).fill(0);
      const label = `${build} chunks=${chunks} threads=${threads}`;
      const own = (t: number) => Array.from({ length: Math.floor(((t + 1) * chunks) / threads) - Math.floor((t * chunks) / threads) }, (_, i) => Math.floor((t * chunks) / threads) + i);
      // Thread 0 takes its own chunks first, in order; thread 1 (if any) then takes its own.
      const taken0 = own(0).map(() => w.take_chunk(counters, chunks, 0, threads));
      expect(taken0, label).toEqual(own(0));
      const taken1 = threads > 1 ? own(1).map(() => w.take_chunk(counters, chunks, 1, threads)) : [];
      if (threads > 1) expect(taken1, label).toEqual(own(1));
      // Thread 0 then takes whatever is left (threads 2 … never ran), and then there is nothing.
      const rest: number[] = [];
      for (let i = w.take_chunk(counters, chunks, 0, threads); i >= 0; i = w.take_chunk(counters, chunks, 0, threads)) rest.push(i);
      expect([...taken0, ...taken1, ...rest].sort((x, y) => x - y), label).toEqual(Array.from({ length: chunks }, (_, i) => i));
      for (let t = 0; t < threads; t++) expect(w.take_chunk(counters, chunks, t, threads), label).toBe(-1);
      w.heap_free(counters);
    }
  });
});

// Calls that break a kernel's contract, each with the assert message it must trip in a debug build.
// Every operand is a real block or, where the contract broken is "inside memory", a read-only operand
// past memory's end: without asserts the first kind runs through and the second traps on the engine's
// bounds check, and neither writes outside the blocks.
function badCalls(w: WasmExports) {
  const blocks = [5 * 3, 3 * 2, 5 * 2, panelsLength(5, 3), 2, 2 * 3, ntMaskScratchLength(5, 3, 2), 5 * 2].map((elements) => guardedBlock(w, "f64", new Array(elements).fill(1)));
  const [a, b, c, panels, counters, terms, scratch, h] = blocks.map((X) => X.offset);
  const [m, k, n] = [5, 3, 2];
  const end = w.memory.buffer.byteLength;
  const calls: { what: string; message: RegExp; outside?: true; call: () => unknown }[] = [
    { what: "gemm_pn with lda < 4k", message: /gemm_pn: lda must be >= 4k/, call: () => w.gemm_pn_f64(c, panels, b, m, k, n, 4 * k - 1) },
    { what: "gemm_tn with lda < m", message: /gemm_tn: lda must be >= m/, call: () => w.gemm_tn_f64(c, a, b, m, k, n, m - 1) },
    { what: "gemm_nn with m = 0", message: /gemm: m, k and n must be >= 1/, call: () => w.gemm_nn_f64(c, a, b, 0, k, n) },
    { what: "gemm_nt with B past the end of memory", message: /gemm: B is outside memory/, outside: true, call: () => w.gemm_nt_f64(c, a, end - 8, m, k, n) },
    { what: "gemm_nn with C on A", message: /gemm: C overlaps A/, call: () => w.gemm_nn_f64(a + 8, a, b, m, k, n) },
    { what: "pack_panels with the panels on A", message: /pack_panels: the panels overlap A/, call: () => w.pack_panels_f64(panels, panels + 8, m, k) },
    { what: "relu_forward with out half over h", message: /relu_forward: out overlaps h without being h/, call: () => w.relu_forward_f64(a + 8, a, 4) },
    { what: "relu_backward with len = 0", message: /relu_backward: len must be >= 1/, call: () => w.relu_backward_f64(a, b, 0) },
    { what: "sse_loss_grad with grad on y", message: /sse_loss_grad: grad overlaps y/, call: () => w.sse_loss_grad_f64(b, a, b, 4) },
    { what: "sgd with g on w", message: /sgd: g overlaps w/, call: () => w.sgd_f64(a, a, 0.5, 4) },
    { what: "sgd_into_checked with out on w", message: /sgd_into_checked: out overlaps w or g/, call: () => w.sgd_into_checked_f64(a, a + 8, b, 0.5, 4) },
    { what: "sgd_into_checked with out on g", message: /sgd_into_checked: out overlaps w or g/, call: () => w.sgd_into_checked_f64(c, a, c, 0.5, 4) },
    { what: "sgd_into_checked with g past the end of memory", message: /sgd_into_checked: out, w or g is outside memory/, outside: true, call: () => w.sgd_into_checked_f64(c, a, end - 8, 0.5, 2) },
    { what: "accumulate with a past the end of memory", message: /accumulate: out or a is outside memory/, outside: true, call: () => w.accumulate_f64(c, end - 8, 2) },
    { what: "copy_relu_forward with out on src", message: /copy_relu_forward: h, out and src overlap/, call: () => w.copy_relu_forward_f64(b, a + 8, a, 4) },
    { what: "copy_relu_forward with h on out", message: /copy_relu_forward: h, out and src overlap/, call: () => w.copy_relu_forward_f64(c, c, a, 4) },
    { what: "copy_relu_forward with len = 0", message: /copy_relu_forward: len must be >= 1/, call: () => w.copy_relu_forward_f64(c, b, a, 0) },
    { what: "copy_relu_forward with src past the end of memory", message: /copy_relu_forward: h, out or src is outside memory/, outside: true, call: () => w.copy_relu_forward_f64(c, b, end - 8, 2) },
    { what: "gemm_pn_acc with C on B", message: /gemm: C overlaps B/, call: () => w.gemm_pn_acc_f64(b, panels, b, 0.5, 3, k, n, terms) },
    { what: "gemm_pn_acc with B past the end of memory", message: /gemm: B is outside memory/, outside: true, call: () => w.gemm_pn_acc_f64(c, panels, end - 8, 0.5, m, k, n, terms) },
    { what: "gemm_pn_acc with the terms scratch on C", message: /gemm: the terms scratch overlaps C/, call: () => w.gemm_pn_acc_f64(c, panels, b, 0.5, m, k, n, c + 8) },
    { what: "gemm_pn_acc with the terms scratch on B", message: /gemm: the terms scratch overlaps B/, call: () => w.gemm_pn_acc_f64(c, panels, b, 0.5, m, k, n, b) },
    { what: "gemm_nt_mask with C on H", message: /gemm: C overlaps H/, call: () => w.gemm_nt_mask_f64(c, a, b, c + 8, m, k, n, scratch) },
    // (B and C inside the scratch's block, so that a build without asserts writes inside that block.)
    { what: "gemm_nt_mask with the scratch on B", message: /gemm: the scratch overlaps A or B/, call: () => w.gemm_nt_mask_f64(c, a, scratch + 8, h, m, k, n, scratch) },
    { what: "gemm_nt_mask with the scratch on C", message: /gemm: the scratch overlaps C or H/, call: () => w.gemm_nt_mask_f64(scratch + 8, a, b, h, m, k, n, scratch) },
    { what: "gemm_nt_mask with H past the end of memory", message: /gemm: H is outside memory/, outside: true, call: () => w.gemm_nt_mask_f64(c, a, b, end - 8, m, k, n, scratch) },
    { what: "take_chunk for thread t = threads", message: /take_chunk: t must be in \[0, threads\)/, call: () => w.take_chunk(counters, 4, 2, 2) },
  ];
  return { calls, free: () => blocks.forEach((X) => X.free()) };
}

describe("asserts", () => {
  it.each(DEBUG_BUILDS)("the %s build refuses every call that breaks a contract, and still computes after", async (build) => {
    const w = await wasm(build);
    const { calls, free } = badCalls(w);
    for (const { what, message, call } of calls) expect(call, `${build}: ${what}`).toThrow(message);
    free();
    // The refusals left the instance usable: a good call still matches the reference.
    const k = await kernelsFor(build, "f64");
    const a = randomValues(1, 6), b = randomValues(2, 6);
    const [A, B, C] = [guardedBlock(w, "f64", a), guardedBlock(w, "f64", b), guardedBlock(w, "f64", new Array(4).fill(0))];
    k.gemm_nn(C, A, B, 2, 3, 2);
    const want = new Float64Array(4);
    ref.gemm_nn(want, Float64Array.from(a), Float64Array.from(b), 2, 3, 2);
    expectSame(C.array, want, `${build} gemm_nn after the refusals`);
    [A, B, C].forEach((X) => X.free());
  });

  it.each(BUILDS)("the shipped %s build has none: the same calls run through (or hit the engine's bounds check), and no assert message is in the file", async (build) => {
    const w = await wasm(build);
    const { calls, free } = badCalls(w);
    for (const { what, outside, call } of calls) {
      if (outside) expect(call, `${build}: ${what}`).toThrow(WebAssembly.RuntimeError);
      else expect(call, `${build}: ${what}`).not.toThrow();
    }
    free();
    // AssemblyScript stores an assert's message as UTF-16 in the data segment, as the debug build shows.
    const utf16 = (text: string) => Buffer.from(text, "utf16le");
    expect(readFileSync(debugWasmUrl("simd-debug")).includes(utf16("gemm_pn: lda must be >= 4k")), "simd-debug carries its messages").toBe(true);
    expect(readFileSync(defaultWasmUrl(build)).includes(utf16("must be >=")), `${build} carries an assert message`).toBe(false);
    expect(readFileSync(defaultWasmUrl(build)).includes(utf16("outside memory")), `${build} carries an assert message`).toBe(false);
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
