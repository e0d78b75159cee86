// The Gram form's kernels (gemm_pn_acc with its check of the new C, gemm_nt_mask with its packed
// operands), every build (SIMD,
// scalar, FMA, threads, threads-FMA, and the SIMD and scalar debug builds with asserts on), both
// dtypes, against the plain TypeScript reference (src/js-gram-kernels.ts) on odd shapes, with guard
// values around every buffer; and the reference itself against the textbook loops. gemm_pn_acc runs
// on a dense B (the SIMD builds' dense sweep) and on a B half of whose values are ±0, as ReLU's mask
// leaves grad_h (their sum over B's nonzero terms, assembly/gemm-terms.ts), and on an A holding NaN
// or ±Infinity with such a B (the dense sweep again: leaving a term out would hide its NaN).
import { describe, expect, it } from "vitest";
import * as gram from "../src/js-gram-kernels.js";
import * as ref from "../src/js-kernels.js";
import { ntMaskScratchLength, panelsLength, type DType, type FloatArray } from "../src/kernels.js";
import { wasmKernels } from "../src/wasm-kernels.js";
import { BUILDS, DEBUG_BUILDS, DTYPES, EPSILON, exact, expectClose, expectSame, guardedBlock, randomValues, wasm, type TestBuild } from "./harness.js";

// [m, k, n]: ones, primes, every tail of the tiles (m % 4, n % 8) and of the sparse update's groups
// of 3 panels (m % 12), the seed network's K·grad_h, and sizes past it.
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 1, 5], [1, 7, 1], [5, 1, 3], [2, 3, 4], [3, 5, 7], [4, 8, 6], [17, 17, 9], [9, 2, 13],
  [7, 11, 3], [13, 13, 2], [31, 17, 29], [6, 5, 11], [10, 3, 15], [8, 9, 16], [11, 2, 17], [37, 37, 45], [64, 64, 100],
  [12, 12, 3], [24, 24, 5], [20, 20, 4], [131, 97, 7], [200, 200, 3],
];
const ALPHAS = [-1e-3, 0.75];
const ALL_BUILDS: TestBuild[] = [...BUILDS, ...DEBUG_BUILDS];
const typed = (dtype: DType, values: ArrayLike<number>): FloatArray => (dtype === "f64" ? Float64Array.from(values) : Float32Array.from(values));
/** b with about half its values ±0 (a fixed pattern, −0 among them), as ReLU's mask leaves grad_h. */
const halfZeros = (b: number[]): number[] => b.map((v, e) => ((e * 7919) % 13 < 7 ? v : e % 3 ? 0 : -0));
const B_KINDS: [string, (b: number[]) => number[]][] = [["dense B", (b) => b], ["B half ±0", halfZeros]];

/** The reference on plain arrays: C += alpha·(A·B), A packed first, its scratch longer than m·n and not zeroed. */
function referenceAcc(dtype: DType, c0: number[], a: number[], b: number[], alpha: number, m: number, k: number, n: number): FloatArray {
  const panels = typed(dtype, new Array(panelsLength(m, k)).fill(0));
  ref.pack_panels(panels, typed(dtype, a), m, k);
  const c = typed(dtype, c0);
  gram.gemm_pn_acc(c, panels, typed(dtype, b), alpha, m, k, n, typed(dtype, randomValues(3, m * n + 3, dtype)));
  return c;
}

describe("the reference gemm_pn_acc", () => {
  it("f64: is C + alpha·(A·B) with the product summed as gemm_nn sums it, bit for bit", () => {
    for (const [m, k, n] of SHAPES) {
      const [a, b, c0] = [randomValues(m + k, m * k), randomValues(n + k, k * n), randomValues(m + n, m * n)];
      const product = new Float64Array(m * n);
      ref.gemm_nn(product, Float64Array.from(a), Float64Array.from(b), m, k, n);
      for (const alpha of ALPHAS) {
        expectSame(referenceAcc("f64", c0, a, b, alpha, m, k, n), c0.map((c, i) => c + alpha * product[i]), `f64 m=${m} k=${k} n=${n}`);
      }
    }
  });

  it("f32: rounds every product, partial sum and the update to float32, as the textbook loop with Math.fround", () => {
    for (const [m, k, n] of SHAPES) {
      const [a, b, c0] = [randomValues(m + k, m * k, "f32"), randomValues(n + k, k * n, "f32"), randomValues(m + n, m * n, "f32")];
      for (const alpha of ALPHAS) {
        const want = c0.map((c, e) => {
          const [i, j] = [Math.floor(e / n), e % n];
          let sum = 0;
          for (let p = 0; p < k; p++) sum = Math.fround(sum + Math.fround(a[i * k + p] * b[p * n + j]));
          return Math.fround(c + Math.fround(Math.fround(alpha) * sum));
        });
        expectSame(referenceAcc("f32", c0, a, b, alpha, m, k, n), want, `f32 m=${m} k=${k} n=${n}`);
      }
    }
  });
});

describe.each(ALL_BUILDS)("%s build", (build) => {
  describe.each(DTYPES)("%s", (dtype: DType) => {
    it(`gemm_pn_acc matches the reference on ${SHAPES.length} shapes`, async () => {
      const w = await wasm(build);
      const kernels = wasmKernels(w, dtype);
      for (const [m, k, n] of SHAPES) {
        for (const alpha of ALPHAS) {
          for (const [bKind, shapeB] of B_KINDS) {
          const shape = `${build} ${dtype} gemm_pn_acc m=${m} k=${k} n=${n} alpha=${alpha} ${bKind}`;
          const [a, b, c0] = [randomValues(m * 1000 + k, m * k, dtype), shapeB(randomValues(n * 1000 + k + 1, k * n, dtype)), randomValues(7 + m, m * n, dtype)];
          const A = guardedBlock(w, dtype, a);
          const B = guardedBlock(w, dtype, b);
          const C = guardedBlock(w, dtype, c0);
          const P = guardedBlock(w, dtype, randomValues(8, panelsLength(m, k), dtype));
          kernels.pack_panels(P, A, m, k);
          const panels = Array.from(P.array);
          const T = guardedBlock(w, dtype, randomValues(9, 2 * k, dtype));
          expect(kernels.gemm_pn_acc(C, P, B, alpha, m, k, n, T), `${shape}: every new C is finite`).toBe(-1);
          const want = referenceAcc(dtype, c0, a, b, alpha, m, k, n);
          // Without FMA every build is the reference bit for bit, in both dtypes.
          if (exact(build)) expectSame(C.array, want, shape);
          // With FMA the sums round once per step: within a k-term dot product's error of the reference.
          const abs = new Float64Array(m * n);
          ref.gemm_nn(abs, Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs), m, k, n);
          expectClose(C.array, want, (i) => 2 * (k + 2) * EPSILON[dtype] * (Math.abs(alpha) * abs[i] + Math.abs(c0[i])), shape);
          for (const [X, name] of [[A, "A"], [B, "B"], [C, "C"], [P, "panels"], [T, "terms"]] as const) X.checkGuards(`${shape} ${name}`);
          expect(Array.from(P.array), `${shape}: the panels are read only`).toEqual(panels);
          expectSame(B.array, b, `${shape}: B is read only`);
          [A, B, C, P, T].forEach((X) => X.free());
          }
        }
      }
    });

    it("gemm_pn_acc on rows [4q0, 4q1) (c + 4q0·n, panels + 4q0·k) computes exactly those rows", async () => {
      const w = await wasm(build);
      const S = dtype === "f64" ? 8 : 4;
      const [m, k, n] = [23, 23, 13];
      for (const [bKind, shapeB] of B_KINDS) {
      const [a, b, c0] = [randomValues(1, m * k, dtype), shapeB(randomValues(2, k * n, dtype)), randomValues(3, m * n, dtype)];
      const kernels = wasmKernels(w, dtype);
      const [A, B, T] = [guardedBlock(w, dtype, a), guardedBlock(w, dtype, b), guardedBlock(w, dtype, new Array(2 * k).fill(0))];
      const P = guardedBlock(w, dtype, new Array(panelsLength(m, k)).fill(0));
      kernels.pack_panels(P, A, m, k);
      const want = referenceAcc(dtype, c0, a, b, -0.5, m, k, n);
      const abs = new Float64Array(m * n);
      ref.gemm_nn(abs, Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs), m, k, n);
      const tolerance = (e: number) => 2 * (k + 2) * EPSILON[dtype] * (0.5 * abs[e] + Math.abs(c0[e]));
      for (const [r0, r1] of [[0, 4], [4, 12], [12, 20], [20, 23]]) {
        const C = guardedBlock(w, dtype, c0);
        w[`gemm_pn_acc_${dtype}`](C.offset + r0 * n * S, P.offset + r0 * k * S, B.offset, -0.5, r1 - r0, k, n, T.offset);
        const label = `${build} ${dtype} rows ${r0}…${r1} ${bKind}`;
        const got = Array.from(C.array);
        expect(got.slice(0, r0 * n), `${label}: rows before untouched`).toEqual(c0.slice(0, r0 * n));
        expect(got.slice(r1 * n), `${label}: rows after untouched`).toEqual(c0.slice(r1 * n));
        expectClose(got.slice(r0 * n, r1 * n), Array.from(want.subarray(r0 * n, r1 * n)), (i) => tolerance(r0 * n + i), label);
        if (exact(build)) expectSame(got.slice(r0 * n, r1 * n), want.subarray(r0 * n, r1 * n), label);
        C.checkGuards(label);
        C.free();
      }
      T.checkGuards(`${build} ${dtype} ${bKind} terms`);
      [A, B, P, T].forEach((X) => X.free());
      }
    });

    it("gemm_pn_acc returns the first C index that is NaN or ±Infinity after the update (or −1), on every tail, as the reference", async () => {
      const w = await wasm(build);
      const kernels = wasmKernels(w, dtype);
      const big = dtype === "f64" ? 1e300 : 1e38;
      for (const [m, k, n] of [[1, 1, 1], [1, 2, 3], [3, 2, 1], [5, 3, 7], [7, 5, 9], [13, 4, 17], [64, 64, 100]]) {
        const len = m * n;
        const [a, b, clean] = [randomValues(m + 5, m * k, dtype), randomValues(n + 6, k * n, dtype), randomValues(len, len, dtype)];
        const cases: [string, number[], number[]][] = [["finite", clean, b]];
        for (const at of new Set([0, Math.floor(len / 2), len - 1])) {
          for (const bad of [NaN, Infinity, -Infinity]) {
            const c0 = clean.slice();
            c0[at] = bad;
            if (at + 1 < len) c0[len - 1] = NaN; // a later one must not be the answer
            cases.push([`C ${bad} at ${at}`, c0, b]);
          }
        }
        // A product that overflows: B's column n − 1 so large that C's last column does.
        cases.push(["overflow in the last column", clean, b.map((v, e) => (e % n === n - 1 ? Math.sign(v || 1) * big : v))]);
        cases.push(["overflow in the last column, B half ±0", clean, halfZeros(b).map((v, e) => (e % n === n - 1 ? Math.sign(v || 1) * big : v))]);
        const aCases: [string, number[]][] = [["", a]];
        // A NaN or ±Infinity in A where B's terms are zero: its NaN (∞·0) must reach C, as the reference's.
        for (const bad of [NaN, Infinity, -Infinity]) aCases.push([`, A ${bad} at ${m * k - 1}, B half ±0`, a.map((v, e) => (e === m * k - 1 ? bad : v))]);
        const all: [string, number[], number[], number[]][] = [
          ...cases.map(([what, c0, bValues]): [string, number[], number[], number[]] => [what, a, c0, bValues]),
          ...aCases.slice(1).map(([what, aValues]): [string, number[], number[], number[]] => [what.slice(2), aValues, clean, halfZeros(b)]),
        ];
        for (const [what, aValues, c0, bValues] of all) {
          const label = `${build} ${dtype} m=${m} k=${k} n=${n} ${what}`;
          const [A, B, C] = [guardedBlock(w, dtype, aValues), guardedBlock(w, dtype, bValues), guardedBlock(w, dtype, c0)];
          const T = guardedBlock(w, dtype, new Array(2 * k).fill(0));
          const P = guardedBlock(w, dtype, new Array(panelsLength(m, k)).fill(0));
          kernels.pack_panels(P, A, m, k);
          const want = typed(dtype, c0);
          const wantIndex = gram.gemm_pn_acc(want, P.array, typed(dtype, bValues), 1e10, m, k, n, typed(dtype, randomValues(3, m * n + 3, dtype)));
          expect(kernels.gemm_pn_acc(C, P, B, 1e10, m, k, n, T), label).toBe(wantIndex);
          if (what === "finite") expect(wantIndex, label).toBe(-1);
          else expect(wantIndex, label).toBeGreaterThanOrEqual(0);
          if (exact(build)) expectSame(C.array, want, label);
          [A, B, C, P, T].forEach((X) => X.checkGuards(label));
          [A, B, C, P, T].forEach((X) => X.free());
        }
      }
    });

    it(`gemm_nt_mask is the build's gemm_nt then relu_backward, bit for bit, on ${SHAPES.length} shapes (and the reference's where the build is exact)`, async () => {
      const w = await wasm(build);
      const kernels = wasmKernels(w, dtype);
      for (const [m, k, n] of SHAPES) {
        const shape = `${build} ${dtype} gemm_nt_mask m=${m} k=${k} n=${n}`;
        // H with negatives, +0, −0 and NaN (only h < 0 is masked, as numpy's grad_h[h < 0] = 0).
        const h = randomValues(m + n + 3, m * n, dtype).map((v, e) => (e % 7 === 0 ? 0 : e % 7 === 1 ? -0 : e % 11 === 2 ? NaN : v));
        const [a, b] = [randomValues(m * 100 + k, m * k, dtype), randomValues(n * 100 + k, n * k, dtype)];
        const [A, B, H] = [guardedBlock(w, dtype, a), guardedBlock(w, dtype, b), guardedBlock(w, dtype, h)];
        const [C, D] = [guardedBlock(w, dtype, randomValues(9, m * n, dtype)), guardedBlock(w, dtype, new Array(m * n).fill(0))];
        // The scratch starts as garbage: what the SIMD builds pack there (A's panels, Bᵀ) is theirs to write.
        const T = guardedBlock(w, dtype, randomValues(10, ntMaskScratchLength(m, k, n), dtype).map((v, e) => (e % 5 ? v : NaN)));
        kernels.gemm_nt_mask(C, A, B, H, m, k, n, T);
        kernels.gemm_nt(D, A, B, m, k, n);
        kernels.relu_backward(D, H, m * n);
        expectSame(C.array, D.array, shape);
        if (exact(build) && dtype === "f64") {
          const want = new Float64Array(m * n);
          gram.gemm_nt_mask(want, Float64Array.from(a), Float64Array.from(b), Float64Array.from(h), m, k, n);
          expectSame(C.array, want, `${shape}: the reference`);
        }
        expectSame(H.array, typed(dtype, h), `${shape}: H is read only`);
        expectSame(A.array, typed(dtype, a), `${shape}: A is read only`);
        expectSame(B.array, typed(dtype, b), `${shape}: B is read only`);
        for (const [X, name] of [[A, "A"], [B, "B"], [C, "C"], [H, "H"], [T, "scratch"]] as const) X.checkGuards(`${shape} ${name}`);
        [A, B, C, D, H, T].forEach((X) => X.free());
      }
    });
  });
});
