import { gemm_nt, relu_backward } from "./js-kernels.js";
import type { FloatArray, GramKernels } from "./kernels.js";

// The Gram form's kernels in plain TypeScript: the reference the wasm kernels are tested against and
// the js backend's. Same contracts as assembly/ (shapes in elements, row-major). Unlike the products
// of js-kernels.ts, gemm_pn_acc rounds as the wasm kernels do in both dtypes: with Float32Array
// operands every product and every partial sum is rounded to float32 (Math.fround; rounding an exact
// float64 sum or product of two float32 values to float32 is the correctly rounded float32 result),
// so its results are the wasm scalar and SIMD builds' bits in f64 and in f32. gemm_nt_mask is
// js-kernels.ts's gemm_nt and relu_backward, with their bits.

/**
 * C[m×n] += alpha·(A·B), A given as pack_panels' panels of an m×k matrix (panel q at element 4kq),
 * B k×n row-major. Each sum runs in increasing p from +0, one multiply then one add; then
 * C(i, j) + alpha·sum, one multiply then one add. Rows are streamed (loop order i-p-j) into `row`,
 * scratch of at least n elements of C's type. Returns the first i whose new C[i] is NaN or
 * ±Infinity, or −1.
 */
export function gemm_pn_acc(c: FloatArray, panels: FloatArray, b: FloatArray, alpha: number, m: number, k: number, n: number, row: FloatArray): number {
  const f32 = c instanceof Float32Array;
  const a = f32 ? Math.fround(alpha) : alpha;
  for (let i = 0; i < m; i++) {
    row.fill(0, 0, n);
    const aRow = (i >> 2) * 4 * k + (i & 3);
    for (let p = 0; p < k; p++) {
      const aip = panels[aRow + 4 * p];
      const bRow = p * n;
      if (f32) for (let j = 0; j < n; j++) row[j] += Math.fround(aip * b[bRow + j]);
      else for (let j = 0; j < n; j++) row[j] += aip * b[bRow + j];
    }
    const cRow = i * n;
    if (f32) for (let j = 0; j < n; j++) c[cRow + j] += Math.fround(a * row[j]);
    else for (let j = 0; j < n; j++) c[cRow + j] += a * row[j];
  }
  for (let i = 0; i < m * n; i++) if (!Number.isFinite(c[i])) return i;
  return -1;
}

/**
 * C[m×n] = A·Bᵀ as the js backend's gemm_nt (src/js-kernels.ts), then +0 where H < 0 as its
 * relu_backward: the two lines the wasm builds' gemm_nt_mask computes in one pass.
 */
export function gemm_nt_mask(c: FloatArray, a: FloatArray, b: FloatArray, h: FloatArray, m: number, k: number, n: number): void {
  gemm_nt(c, a, b, m, k, n);
  relu_backward(c, h, m * n);
}

/** The Gram kernels of the plain TypeScript backend (either dtype), with their row scratch. */
export function jsGramKernels(): GramKernels {
  let row: FloatArray = new Float64Array(0);
  const scratch = (c: FloatArray, n: number): FloatArray => {
    const Type = c instanceof Float32Array ? Float32Array : Float64Array;
    if (row.length < n || !(row instanceof Type)) row = new Type(n);
    return row;
  };
  return {
    gemm_pn_acc: (c, panels, b, alpha, m, k, n) => gemm_pn_acc(c.array, panels.array, b.array, alpha, m, k, n, scratch(c.array, n)),
    gemm_nt_mask: (c, a, b, h, m, k, n) => gemm_nt_mask(c.array, a.array, b.array, h.array, m, k, n),
  };
}
