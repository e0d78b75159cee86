import { gemm_nt, gemm_pn, relu_backward, scratchOf, sgd } from "./js-kernels.js";
import type { FloatArray, GramKernels } from "./kernels.js";

// The Gram form's kernels in plain TypeScript: the reference the wasm kernels are tested against and
// the js backend's. Same contracts as assembly/ (shapes in elements, row-major). Unlike the products
// of js-kernels.ts, gemm_pn_acc rounds as the wasm kernels do in both dtypes: with Float32Array
// operands every product and every partial sum is rounded to float32 (Math.fround; rounding an exact
// float64 sum or product of two float32 values to float32 is the correctly rounded float32 result),
// so its results are the wasm scalar and SIMD builds' bits in f64 and in f32. gemm_nt_mask is
// js-kernels.ts's gemm_nt and relu_backward, with their bits.

/**
 * scratch[m×n] = A·B for Float32Array operands, A given as pack_panels' panels of an m×k matrix, B
 * k×n row-major, rounded as the wasm f32 kernels round: every product and every partial sum to
 * float32, in increasing p from +0. js-kernels.ts's 4×4 tiles (16 sums in local variables over the
 * whole of k, 4 values of A and 4 adjacent values of a row of B per step), each step rounded: a copy
 * of their loop rather than a shared one, for the reason js-kernels.ts keeps one per array type (V8
 * keeps what it learns per function).
 */
function gemm_pn_f32_rounded(c: Float32Array, panels: Float32Array, b: Float32Array, m: number, k: number, n: number): void {
  const f = Math.fround;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = i * k;
    const c0 = i * n;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let p = 0, pa = a0, pb = j; p < k; p++, pa += 4, pb += n) {
        const b0 = b[pb], b1 = b[pb + 1], b2 = b[pb + 2], b3 = b[pb + 3];
        let x = panels[pa];
        s00 = f(s00 + f(x * b0)); s01 = f(s01 + f(x * b1)); s02 = f(s02 + f(x * b2)); s03 = f(s03 + f(x * b3));
        x = panels[pa + 1];
        s10 = f(s10 + f(x * b0)); s11 = f(s11 + f(x * b1)); s12 = f(s12 + f(x * b2)); s13 = f(s13 + f(x * b3));
        x = panels[pa + 2];
        s20 = f(s20 + f(x * b0)); s21 = f(s21 + f(x * b1)); s22 = f(s22 + f(x * b2)); s23 = f(s23 + f(x * b3));
        x = panels[pa + 3];
        s30 = f(s30 + f(x * b0)); s31 = f(s31 + f(x * b1)); s32 = f(s32 + f(x * b2)); s33 = f(s33 + f(x * b3));
      }
      let r = c0 + j;
      c[r] = s00; c[r + 1] = s01; c[r + 2] = s02; c[r + 3] = s03;
      r += n;
      c[r] = s10; c[r + 1] = s11; c[r + 2] = s12; c[r + 3] = s13;
      r += n;
      c[r] = s20; c[r + 1] = s21; c[r + 2] = s22; c[r + 3] = s23;
      r += n;
      c[r] = s30; c[r + 1] = s31; c[r + 2] = s32; c[r + 3] = s33;
    }
    for (; j < n; j++) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0, pa = a0, pb = j; p < k; p++, pa += 4, pb += n) {
        const bv = b[pb];
        s0 = f(s0 + f(panels[pa] * bv)); s1 = f(s1 + f(panels[pa + 1] * bv)); s2 = f(s2 + f(panels[pa + 2] * bv)); s3 = f(s3 + f(panels[pa + 3] * bv));
      }
      c[c0 + j] = s0; c[c0 + n + j] = s1; c[c0 + 2 * n + j] = s2; c[c0 + 3 * n + j] = s3;
    }
  }
  for (; i < m; i++) {
    const ai = (i >> 2) * 4 * k + (i & 3);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0, pa = ai, pb = j; p < k; p++, pa += 4, pb += n) s = f(s + f(panels[pa] * b[pb]));
      c[i * n + j] = s;
    }
  }
}

/**
 * C[m×n] += alpha·(A·B), A given as pack_panels' panels of an m×k matrix (panel q at element 4kq),
 * B k×n row-major. Each sum runs in increasing p from +0, one multiply then one add (float64: as
 * js-kernels.ts's gemm_pn sums; float32: gemm_pn_f32_rounded), into `scratch` (at least m·n
 * elements of C's type); then C(i, j) + alpha·sum, one multiply then one add. Returns the first i
 * whose new C[i] is NaN or ±Infinity, or −1.
 */
export function gemm_pn_acc(c: FloatArray, panels: FloatArray, b: FloatArray, alpha: number, m: number, k: number, n: number, scratch: FloatArray): number {
  if (c instanceof Float64Array) {
    gemm_pn(scratch, panels, b, m, k, n);
    for (let i = 0; i < m * n; i++) c[i] += alpha * scratch[i];
  } else {
    gemm_pn_f32_rounded(scratch as Float32Array, panels as Float32Array, b as Float32Array, m, k, n);
    const a = Math.fround(alpha);
    for (let i = 0; i < m * n; i++) c[i] += Math.fround(a * scratch[i]);
  }
  for (let i = 0; i < m * n; i++) if (!Number.isFinite(c[i])) return i;
  return -1;
}

/**
 * C[m×n] = A·Bᵀ as the js backend's gemm_nt (src/js-kernels.ts; `bt` its scratch for Bᵀ), then +0
 * where H < 0 as its relu_backward: the two lines the wasm builds' gemm_nt_mask computes in one pass.
 */
export function gemm_nt_mask(c: FloatArray, a: FloatArray, b: FloatArray, h: FloatArray, m: number, k: number, n: number, bt?: FloatArray): void {
  gemm_nt(c, a, b, m, k, n, bt);
  relu_backward(c, h, m * n);
}

/**
 * out = w − lr·g as js-kernels.ts's sgd computes it (float32: lr and each product rounded, then the
 * difference on store), w unchanged; returns the first i whose out[i] is NaN or ±Infinity, or −1.
 */
export function sgd_into_checked(out: FloatArray, w: FloatArray, g: FloatArray, lr: number, len: number): number {
  out.set(w.subarray(0, len));
  sgd(out, g, lr, len);
  for (let i = 0; i < len; i++) if (!Number.isFinite(out[i])) return i;
  return -1;
}

/**
 * The Gram kernels of the plain TypeScript backend (either dtype), with their scratch: the h update's
 * (N×H, every iteration) always kept, grad_h's Bᵀ (w2ᵀ) as gemm_nt's.
 */
export function jsGramKernels(): GramKernels {
  const sums = scratchOf(Infinity);
  const transposed = scratchOf();
  return {
    gemm_pn_acc: (c, panels, b, alpha, m, k, n) => gemm_pn_acc(c.array, panels.array, b.array, alpha, m, k, n, sums(c.array, m * n)),
    gemm_nt_mask: (c, a, b, h, m, k, n) => gemm_nt_mask(c.array, a.array, b.array, h.array, m, k, n, transposed(c.array, k * n)),
    sgd_into_checked: (out, w, g, lr, len) => sgd_into_checked(out.array, w.array, g.array, lr, len),
  };
}
