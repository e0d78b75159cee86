// Dense matrix products on raw pointers into linear memory: the three the network needs.
//
// Common contract: pointers are byte addresses; m, k, n count elements (each ≥ 1); every matrix is
// row-major and densely packed (row stride = its column count). Each C element is
// Σ_p a(i,p)·b(p,j) summed in increasing p, starting from 0, one multiply then one add (no fused
// multiply-add), so the SIMD and scalar builds give the same bits as the plain TypeScript
// reference for gemm_nn and gemm_tn. C must not alias A or B. C is overwritten, never accumulated.
//
// The SIMD build (ASC_FEATURE_SIMD) computes LANES = 16 / sizeof<T>() adjacent columns of C at a
// time in one v128 and finishes the n % LANES columns one by one.

import { at } from "./pointers";

// @ts-ignore: decorator
@inline function lanes<T>(): i32 { return 16 / sizeof<T>(); }

// C[m×n] = A[m×k] · B[k×n]
function gemm_nn<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
  const L = lanes<T>();
  for (let i = 0; i < m; i++) {
    const aRow = at<T>(a, i * k);
    const cRow = at<T>(c, i * n);
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + L <= n; j += L) {
        let acc = v128.splat<T>(<T>0);
        for (let p = 0; p < k; p++) {
          const aip = v128.splat<T>(load<T>(at<T>(aRow, p)));
          acc = v128.add<T>(acc, v128.mul<T>(aip, v128.load(at<T>(b, p * n + j))));
        }
        v128.store(at<T>(cRow, j), acc);
      }
    }
    for (; j < n; j++) {
      let acc = <T>0;
      for (let p = 0; p < k; p++) acc += load<T>(at<T>(aRow, p)) * load<T>(at<T>(b, p * n + j));
      store<T>(at<T>(cRow, j), acc);
    }
  }
}

// C[m×n] = Aᵀ · B where A is stored k×m and B is k×n (the transpose is read by indexing, not copied)
function gemm_tn<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
  const L = lanes<T>();
  for (let i = 0; i < m; i++) {
    const cRow = at<T>(c, i * n);
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + L <= n; j += L) {
        let acc = v128.splat<T>(<T>0);
        for (let p = 0; p < k; p++) {
          const api = v128.splat<T>(load<T>(at<T>(a, p * m + i)));
          acc = v128.add<T>(acc, v128.mul<T>(api, v128.load(at<T>(b, p * n + j))));
        }
        v128.store(at<T>(cRow, j), acc);
      }
    }
    for (; j < n; j++) {
      let acc = <T>0;
      for (let p = 0; p < k; p++) acc += load<T>(at<T>(a, p * m + i)) * load<T>(at<T>(b, p * n + j));
      store<T>(at<T>(cRow, j), acc);
    }
  }
}

// C[m×n] = A · Bᵀ where A is m×k and B is stored n×k: each C element is the dot product of two
// contiguous rows. The SIMD build keeps LANES partial sums (lane l adds the products p ≡ l mod LANES
// of the first k − k % LANES), adds the lanes in order 0, 1, …, then the k % LANES tail products in
// increasing p; the scalar build adds in increasing p. The two agree to rounding, not bit for bit.
function gemm_nt<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
  const L = lanes<T>();
  for (let i = 0; i < m; i++) {
    const aRow = at<T>(a, i * k);
    const cRow = at<T>(c, i * n);
    for (let j = 0; j < n; j++) {
      const bRow = at<T>(b, j * k);
      let sum = <T>0;
      let p = 0;
      if (ASC_FEATURE_SIMD) {
        let acc = v128.splat<T>(<T>0);
        for (; p + L <= k; p += L) {
          acc = v128.add<T>(acc, v128.mul<T>(v128.load(at<T>(aRow, p)), v128.load(at<T>(bRow, p))));
        }
        sum = v128.extract_lane<T>(acc, 0);
        for (let l = 1; l < L; l++) sum += extract<T>(acc, l);
      }
      for (; p < k; p++) sum += load<T>(at<T>(aRow, p)) * load<T>(at<T>(bRow, p));
      store<T>(at<T>(cRow, j), sum);
    }
  }
}

// Packs A (m×k, row-major) into ⌈m/4⌉ panels of 4 rows for gemm_pn: panel q holds A(4q + r, p) at
// element q·4k + 4p + r, so the 4 values a 4-row tile needs at one p are adjacent and the panel is
// read front to back. Rows past m (the last panel's padding) are +0. Writes ⌈m/4⌉·4k elements;
// panels must not overlap a. The network packs its x once, since x does not change while training.
function pack_panels<T>(panels: usize, a: usize, m: i32, k: i32): void {
  for (let i0 = 0; i0 < m; i0 += 4) {
    const panel = at<T>(panels, i0 * k);
    for (let r = 0; r < 4; r++) {
      const i = i0 + r;
      for (let p = 0; p < k; p++) store<T>(at<T>(panel, 4 * p + r), i < m ? load<T>(at<T>(a, i * k + p)) : <T>0);
    }
  }
}

// C[m×n] = A·B with A given as pack_panels' panels, panel q starting at element q·lda (lda ≥ 4k), B
// k×n: the same loops as gemm_nn, reading A(i, p) from its panel, so the same bits.
function gemm_pn<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void {
  const L = lanes<T>();
  for (let i = 0; i < m; i++) {
    const aRow = at<T>(a, (i >> 2) * lda + (i & 3)); // A(i, p) is 4p elements on
    const cRow = at<T>(c, i * n);
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + L <= n; j += L) {
        let acc = v128.splat<T>(<T>0);
        for (let p = 0; p < k; p++) {
          const aip = v128.splat<T>(load<T>(at<T>(aRow, 4 * p)));
          acc = v128.add<T>(acc, v128.mul<T>(aip, v128.load(at<T>(b, p * n + j))));
        }
        v128.store(at<T>(cRow, j), acc);
      }
    }
    for (; j < n; j++) {
      let acc = <T>0;
      for (let p = 0; p < k; p++) acc += load<T>(at<T>(aRow, 4 * p)) * load<T>(at<T>(b, p * n + j));
      store<T>(at<T>(cRow, j), acc);
    }
  }
}

// Lane l of a v128 of T, for a lane index known only at run time.
// @ts-ignore: decorator
@inline function extract<T>(v: v128, l: i32): T {
  if (sizeof<T>() == 8) return l == 0 ? v128.extract_lane<T>(v, 0) : v128.extract_lane<T>(v, 1);
  switch (l) {
    case 0: return v128.extract_lane<T>(v, 0);
    case 1: return v128.extract_lane<T>(v, 1);
    case 2: return v128.extract_lane<T>(v, 2);
    default: return v128.extract_lane<T>(v, 3);
  }
}

export function gemm_nn_f64(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void { gemm_nn<f64>(c, a, b, m, k, n); }
export function gemm_tn_f64(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void { gemm_tn<f64>(c, a, b, m, k, n); }
export function gemm_nt_f64(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void { gemm_nt<f64>(c, a, b, m, k, n); }
export function gemm_nn_f32(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void { gemm_nn<f32>(c, a, b, m, k, n); }
export function gemm_tn_f32(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void { gemm_tn<f32>(c, a, b, m, k, n); }
export function gemm_nt_f32(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void { gemm_nt<f32>(c, a, b, m, k, n); }
export function pack_panels_f64(panels: usize, a: usize, m: i32, k: i32): void { pack_panels<f64>(panels, a, m, k); }
export function pack_panels_f32(panels: usize, a: usize, m: i32, k: i32): void { pack_panels<f32>(panels, a, m, k); }
export function gemm_pn_f64(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void { gemm_pn<f64>(c, a, b, m, k, n, lda); }
export function gemm_pn_f32(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void { gemm_pn<f32>(c, a, b, m, k, n, lda); }
