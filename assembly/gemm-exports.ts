// The matrix products every build exports, under the same names and parameters: each kernel's
// contract, its debug asserts, and the build's choice of loops — gemm-simd.ts's register-blocked
// micro-kernels where ASC_FEATURE_SIMD is on, gemm.ts's plain loops elsewhere (the choice is made at
// compile time, so each build holds only one).
//
// Common contract: pointers are byte addresses; m, k, n count elements (each ≥ 1); C is m×n,
// row-major, dense, overwritten (never accumulated) and must not overlap A or B (A and B may overlap:
// they are only read). Each C element is Σ_p a(i,p)·b(p,j) summed in increasing p starting from +0,
// one multiply then one add, so every build but the FMA ones (see gemm-simd.ts) gives the bits of the
// TypeScript reference (src/js-kernels.ts, float64).

import { disjoint, inMemory } from "./asserts";
import { first_non_finite } from "./finite";
import * as plain from "./gemm";
import * as simd from "./gemm-simd";
import * as sparse from "./gemm-terms";
import { packPanels, panelsElements, transpose } from "./pack";
import { at } from "./pointers";

// The debug builds' checks shared by the four products: sizes ≥ 1, and A's, B's and C's byte ranges
// (aElements, bElements from A's start and B's start) inside memory, C overlapping neither.
// @ts-ignore: decorator
@inline function checkOperands<T>(c: usize, a: usize, aElements: u64, b: usize, bElements: u64, m: i32, k: i32, n: i32): void {
  assert(m >= 1 && k >= 1 && n >= 1, "gemm: m, k and n must be >= 1");
  const cElements = <u64>m * <u64>n;
  assert(inMemory<T>(a, aElements), "gemm: A is outside memory");
  assert(inMemory<T>(b, bElements), "gemm: B is outside memory");
  assert(inMemory<T>(c, cElements), "gemm: C is outside memory");
  assert(disjoint<T>(c, cElements, a, aElements), "gemm: C overlaps A");
  assert(disjoint<T>(c, cElements, b, bElements), "gemm: C overlaps B");
}

// C[m×n] = A[m×k]·B[k×n], A and B row-major and dense.
function gemm_nn<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
  checkOperands<T>(c, a, <u64>m * <u64>k, b, <u64>k * <u64>n, m, k, n);
  if (ASC_FEATURE_SIMD) simd.gemm_nn<T>(c, a, b, m, k, n);
  else plain.gemm_nn<T>(c, a, b, m, k, n);
}

// C[m×n] = Aᵀ·B, A stored k×lda (row-major; its first m columns are used, lda ≥ m), B k×n row-major:
// the transpose is read by indexing, not copied. lda > m lets threads split M: rows [i0, i1) of C are
// this kernel on c + i0·n, a + i0, m = i1 − i0, with the full product's lda.
function gemm_tn<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void {
  assert(lda >= m, "gemm_tn: lda must be >= m");
  checkOperands<T>(c, a, <u64>(k - 1) * <u64>lda + <u64>m, b, <u64>k * <u64>n, m, k, n);
  if (ASC_FEATURE_SIMD) simd.gemm_tn<T>(c, a, b, m, k, n, lda);
  else plain.gemm_tn<T>(c, a, b, m, k, n, lda);
}

// C[m×n] = A·Bᵀ, A m×k row-major, B stored n×k row-major: the SIMD build gathers B's vector for columns
// j… at p from B's rows j…, so the sum still runs in increasing p, as the reference's.
function gemm_nt<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
  checkOperands<T>(c, a, <u64>m * <u64>k, b, <u64>n * <u64>k, m, k, n);
  if (ASC_FEATURE_SIMD) simd.gemm_nt<T>(c, a, b, m, k, n);
  else plain.gemm_nt<T>(c, a, b, m, k, n);
}

// C[m×n] = A·Bᵀ as gemm_nt, then C(i, j) = +0 where H(i, j) < 0 (strictly: numpy's grad_h[h < 0] = 0,
// as relu_backward masks, so the bits are gemm_nt's then relu_backward's): the Gram form's grad_h in
// one pass. H is m×n row-major, read only, and must not overlap C. `scratch` holds
// ntMaskScratch(m, k, n) elements of T and overlaps none of A, B, C and H: the SIMD builds pack A
// into 4-row panels and B transposed there and run gemm_pn's sweep on them (A's rows and B's columns
// read side by side, where gemm_nt's sweep reads A's rows apart and gathers B lane by lane: 0.86 ×
// the time at the Gram form's 64×10×100, packing included); each sum is still in increasing p.
function gemm_nt_mask<T>(c: usize, a: usize, b: usize, h: usize, m: i32, k: i32, n: i32, scratch: usize): void {
  checkOperands<T>(c, a, <u64>m * <u64>k, b, <u64>n * <u64>k, m, k, n);
  const scratchElements = ntMaskScratch(m, k, n);
  assert(inMemory<T>(h, <u64>m * <u64>n), "gemm: H is outside memory");
  assert(disjoint<T>(c, <u64>m * <u64>n, h, <u64>m * <u64>n), "gemm: C overlaps H");
  assert(inMemory<T>(scratch, scratchElements), "gemm: the scratch is outside memory");
  assert(disjoint<T>(scratch, scratchElements, c, <u64>m * <u64>n) && disjoint<T>(scratch, scratchElements, h, <u64>m * <u64>n), "gemm: the scratch overlaps C or H");
  assert(disjoint<T>(scratch, scratchElements, a, <u64>m * <u64>k) && disjoint<T>(scratch, scratchElements, b, <u64>n * <u64>k), "gemm: the scratch overlaps A or B");
  if (ASC_FEATURE_SIMD) {
    const panels = scratch;
    const bt = at<T>(scratch, <i32>panelsElements(m, k));
    packPanels<T>(panels, a, m, k);
    transpose<T>(bt, b, n, k);
    simd.gemm_pn_mask<T>(c, panels, bt, h, m, k, n);
  } else {
    plain.gemm_nt<T>(c, a, b, m, k, n);
    const len = m * n;
    for (let i = 0; i < len; i++) if (load<T>(at<T>(h, i)) < <T>0) store<T>(at<T>(c, i), <T>0);
  }
}

// The scratch gemm_nt_mask needs, in elements of T: A's panels, then Bᵀ (src/kernels.ts's
// ntMaskScratchLength says the same).
// @ts-ignore: decorator
@inline function ntMaskScratch(m: i32, k: i32, n: i32): u64 {
  return panelsElements(m, k) + <u64>k * <u64>n;
}

// C[m×n] = A·B with A (m×k) packed by pack_panels into 4-row panels: panel q (rows 4q … 4q+3) starts at
// element q·lda of a (lda ≥ 4k) and holds A(4q + r, p) at element 4p + r; rows past m are padding, never
// stored. B is k×n row-major. To run a K range [p0, p1) of a larger product (threads split K), pass
// a + 4·p0, b + p0·n, k = p1 − p0 and the full product's lda.
function gemm_pn<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void {
  assert(lda >= 4 * k, "gemm_pn: lda must be >= 4k");
  checkOperands<T>(c, a, <u64>((m - 1) >> 2) * <u64>lda + 4 * <u64>k, b, <u64>k * <u64>n, m, k, n);
  if (ASC_FEATURE_SIMD) simd.gemm_pn<T>(c, a, b, m, k, n, lda);
  else plain.gemm_pn<T>(c, a, b, m, k, n, lda);
}

// C[m×n] += alpha·(A·B), A (m×k) packed by pack_panels with lda = 4k, B k×n row-major: the Gram
// form's h −= lr·K·grad_h with K's panels and alpha = −lr. Each sum runs as gemm_pn's (increasing p
// from +0; fused in the FMA builds), then C(i, j) + alpha·sum with one multiply and one add (never
// fused), so the scalar and SIMD builds give the bits of src/js-gram-kernels.ts in both dtypes. C is
// read and written, and must not overlap A or B. `terms` is scratch for 2k elements of T (the float64
// SIMD build without FMA lists B's nonzero terms there, gemm-terms.ts), overlapping none of A, B and C. To run rows
// [4q0, 4q1) of a larger product (threads split M), pass c + 4q0·n, a + 4q0·k and m = min(4q1, M) − 4q0.
// Returns the index of the first C element that is NaN or ±Infinity after the update, or −1 (the
// SIMD builds fold the check into the stores and scan C only when it finds one).
//
// Where at most 5/8 of B is nonzero (ReLU's mask makes grad_h about half zeros) and A is finite, the
// float64 SIMD build without FMA sums only B's nonzero terms (gemm-terms.ts: the same bits, about
// half the work); elsewhere the dense sweep of gemm-simd.ts. The choice costs a pass over B and one
// over A.
function gemm_pn_acc<T>(c: usize, a: usize, b: usize, alpha: T, m: i32, k: i32, n: i32, terms: usize): i32 {
  const lda = 4 * k;
  const aElements = <u64>((m - 1) >> 2) * <u64>lda + 4 * <u64>k;
  checkOperands<T>(c, a, aElements, b, <u64>k * <u64>n, m, k, n);
  assert(inMemory<T>(terms, 2 * <u64>k), "gemm: the terms scratch is outside memory");
  assert(disjoint<T>(terms, 2 * <u64>k, c, <u64>m * <u64>n), "gemm: the terms scratch overlaps C");
  assert(disjoint<T>(terms, 2 * <u64>k, a, aElements), "gemm: the terms scratch overlaps A");
  assert(disjoint<T>(terms, 2 * <u64>k, b, <u64>k * <u64>n), "gemm: the terms scratch overlaps B");
  if (ASC_FEATURE_SIMD) {
    // The sparse update is float64 and without FMA only (gemm-terms.ts says why): a compile-time choice.
    if (sizeof<T>() == 8 && !ASC_FEATURE_RELAXED_SIMD) {
      const few = 8 * <i64>sparse.nonzeros_f64(b, k * n) <= 5 * <i64>k * <i64>n && first_non_finite<T>(a, <i32>aElements) < 0;
      if (few ? sparse.gemm_pn_acc_terms_f64(c, a, b, <f64>alpha, m, k, n, lda, terms) : simd.gemm_pn_acc<T>(c, a, b, alpha, m, k, n, lda)) return -1;
    } else if (simd.gemm_pn_acc<T>(c, a, b, alpha, m, k, n, lda)) {
      return -1;
    }
  } else {
    plain.gemm_pn_acc<T>(c, a, b, alpha, m, k, n, lda);
  }
  return first_non_finite<T>(c, m * n);
}

export function gemm_nn_f64(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void { gemm_nn<f64>(c, a, b, m, k, n); }
export function gemm_nn_f32(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void { gemm_nn<f32>(c, a, b, m, k, n); }
export function gemm_tn_f64(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void { gemm_tn<f64>(c, a, b, m, k, n, lda); }
export function gemm_tn_f32(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void { gemm_tn<f32>(c, a, b, m, k, n, lda); }
export function gemm_nt_f64(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void { gemm_nt<f64>(c, a, b, m, k, n); }
export function gemm_nt_f32(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void { gemm_nt<f32>(c, a, b, m, k, n); }
export function gemm_pn_f64(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void { gemm_pn<f64>(c, a, b, m, k, n, lda); }
export function gemm_pn_f32(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void { gemm_pn<f32>(c, a, b, m, k, n, lda); }
export function gemm_nt_mask_f64(c: usize, a: usize, b: usize, h: usize, m: i32, k: i32, n: i32, scratch: usize): void { gemm_nt_mask<f64>(c, a, b, h, m, k, n, scratch); }
export function gemm_nt_mask_f32(c: usize, a: usize, b: usize, h: usize, m: i32, k: i32, n: i32, scratch: usize): void { gemm_nt_mask<f32>(c, a, b, h, m, k, n, scratch); }
export function gemm_pn_acc_f64(c: usize, a: usize, b: usize, alpha: f64, m: i32, k: i32, n: i32, terms: usize): i32 { return gemm_pn_acc<f64>(c, a, b, alpha, m, k, n, terms); }
export function gemm_pn_acc_f32(c: usize, a: usize, b: usize, alpha: f32, m: i32, k: i32, n: i32, terms: usize): i32 { return gemm_pn_acc<f32>(c, a, b, alpha, m, k, n, terms); }
