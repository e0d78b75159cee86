// The packing loops the kernels share: A into the 4-row panels gemm_pn reads (pack_panels, and
// gemm_nt_mask's A in the SIMD builds), and a transpose (gemm_nt_mask's B). Plain loops, the same in
// every build; the callers check the contracts.

import { at } from "./pointers";

// Elements of the panels of an m×k matrix: ⌈m/4⌉ panels of 4k.
// @ts-ignore: decorator
@inline export function panelsElements(m: i32, k: i32): u64 {
  return <u64>((m + 3) >> 2) * 4 * <u64>k;
}

// Packs A (m×k, row-major) into ⌈m/4⌉ panels of 4 rows: panel q holds A(4q + r, p) at element
// q·4k + 4p + r, so the 4 values a 4-row tile needs at one p are adjacent and the panel is read front
// to back. Rows past m (the last panel's padding) are +0. Overwrites ⌈m/4⌉·4k elements at panels.
// @ts-ignore: decorator
@inline export function packPanels<T>(panels: usize, a: usize, m: i32, k: i32): void {
  for (let i0 = 0; i0 < m; i0 += 4) {
    const panel = at<T>(panels, i0 * k);
    for (let r = 0; r < 4; r++) {
      const i = i0 + r;
      for (let p = 0; p < k; p++) store<T>(at<T>(panel, 4 * p + r), i < m ? load<T>(at<T>(a, i * k + p)) : <T>0);
    }
  }
}

// out (n×m, row-major) = aᵀ, a m×n row-major. Overwrites m·n elements at out.
// @ts-ignore: decorator
@inline export function transpose<T>(out: usize, a: usize, m: i32, n: i32): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) store<T>(at<T>(out, j * m + i), load<T>(at<T>(a, i * n + j)));
  }
}
