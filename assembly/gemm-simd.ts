// Register-blocked SIMD matrix products: the fast path of the SIMD builds (index-simd.ts exports this
// file; the scalar build has only the straightforward loops of gemm.ts).
//
// Common contract, as gemm.ts: pointers are byte addresses; m, k, n count elements (each ≥ 1); C is
// m×n, row-major, dense, overwritten (never accumulated) and must not overlap A or B. Each C element
// is Σ_p a(i,p)·b(p,j) summed in increasing p starting from +0, one multiply then one add, so the
// results are bit-identical to gemm.ts's and the TypeScript reference's — except in the FMA builds
// (ASC_FEATURE_RELAXED_SIMD), where each multiply-add is one relaxed_madd: fused (one rounding) on
// engines that fuse it (V8 on x64 with FMA3 and on arm64), two roundings elsewhere (JavaScriptCore,
// so Bun), hence last-bit differences between engines. The order over p is the same in both.
//
// The tile: 4 rows of C × 2 vectors (f64: 4×4, f32: 4×8) is 8 v128 accumulators, which V8 keeps in
// x64's 16 xmm registers with room for 2 B vectors and 1 A splat; 10 or more accumulators spill and
// run at half speed. Per p we load 2 vectors of B's row p and splat 4 values of A, one per C row.
// Columns left over after the 2-vector blocks get a 1-vector tile, then one column at a time (lane 0
// of a vector loaded with load_zero, so no byte past the end of a row is read). Rows left over
// (m % 4) get the same tile, their results not stored: gemm_pn computes its last panel's padding
// rows (zeros, inside the panels), the others point the missing rows' A reads at the last real row.
// No kernel reads or writes a byte outside A, B and C as their contracts size them.

// @ts-ignore: decorator
@inline function madd<T>(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<T>(a, b, acc);
  return v128.add<T>(acc, v128.mul<T>(a, b));
}

// Width of a tile: two vectors, one vector, or one column (lane 0).
const TWO: i32 = 2;
const ONE: i32 = 1;
const LANE: i32 = 0;

// A vector of B: row-major B (gather = false) holds B(p, j…) contiguously at b; transposed B (gather =
// true, gemm_nt: B(p, j) stored at b + j·bs) gathers lane l from b + l·bs.
// @ts-ignore: decorator
@inline function loadB<T>(b: usize, bs: usize, gather: bool, width: i32): v128 {
  const S = sizeof<T>();
  if (width == LANE) return S == 8 ? v128.load64_zero(b) : v128.load32_zero(b);
  if (!gather) return v128.load(b);
  if (S == 8) return v128.load64_lane(b + bs, v128.load64_zero(b), 1);
  let v = v128.load32_zero(b);
  v = v128.load32_lane(b + bs, v, 1);
  v = v128.load32_lane(b + 2 * bs, v, 2);
  return v128.load32_lane(b + 3 * bs, v, 3);
}

// Stores one C row of a tile: 2 vectors, 1 vector or lane 0.
// @ts-ignore: decorator
@inline function storeRow<T>(c: usize, v0: v128, v1: v128, width: i32): void {
  if (width == TWO) {
    v128.store(c, v0);
    v128.store(c, v1, 16);
  } else if (width == ONE) {
    v128.store(c, v0);
  } else if (sizeof<T>() == 8) {
    v128.store64_lane(c, v0, 0);
  } else {
    v128.store32_lane(c, v0, 0);
  }
}

// The micro-kernel: C rows [0, rows) (rows ≤ 4) × one tile width at c (row stride ldc bytes) =
// Σ_p A(r, p)·B(p, ·) for p in [0, k). A(r, p) is at a + r·S when `adjacent` (packed panels, and gemm_tn
// whose A rows for 4 C rows sit side by side), else at a + ar[r], and the next p is ap bytes on. B's
// vector for p is loadB(b, bs, gather, width), and the next p is bp bytes on.
// @ts-ignore: decorator
@inline function tile<T>(
  c: usize, ldc: usize, rows: i32,
  a: usize, adjacent: bool, a1: usize, a2: usize, a3: usize, ap: usize,
  b: usize, bs: usize, gather: bool, bp: usize,
  k: i32, width: i32,
): void {
  const S = sizeof<T>();
  const L = <usize>(16 / S);
  let c00 = v128.splat<T>(<T>0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (let p = 0; p < k; p++) {
    const b0 = loadB<T>(b, bs, gather, width);
    const b1 = width == TWO ? loadB<T>(gather ? b + L * bs : b + 16, bs, gather, width) : b0;
    let ar = v128.load_splat<T>(a);
    c00 = madd<T>(c00, ar, b0);
    if (width == TWO) c01 = madd<T>(c01, ar, b1);
    ar = adjacent ? v128.load_splat<T>(a, S) : v128.load_splat<T>(a + a1);
    c10 = madd<T>(c10, ar, b0);
    if (width == TWO) c11 = madd<T>(c11, ar, b1);
    ar = adjacent ? v128.load_splat<T>(a, 2 * S) : v128.load_splat<T>(a + a2);
    c20 = madd<T>(c20, ar, b0);
    if (width == TWO) c21 = madd<T>(c21, ar, b1);
    ar = adjacent ? v128.load_splat<T>(a, 3 * S) : v128.load_splat<T>(a + a3);
    c30 = madd<T>(c30, ar, b0);
    if (width == TWO) c31 = madd<T>(c31, ar, b1);
    a += ap;
    b += bp;
  }
  storeRow<T>(c, c00, c01, width);
  if (rows > 1) storeRow<T>(c + ldc, c10, c11, width);
  if (rows > 2) storeRow<T>(c + 2 * ldc, c20, c21, width);
  if (rows > 3) storeRow<T>(c + 3 * ldc, c30, c31, width);
}

// @ts-ignore: decorator
@inline function bytes<T>(elements: i32): usize {
  return <usize>elements << alignof<T>();
}

// C[m×n] = A·B with A (m×k) packed by pack_panels into 4-row panels: panel q (rows 4q … 4q+3) starts
// at element q·lda of a and holds A(4q + r, p) at element 4p + r, rows past m being padding that is
// read but never stored; lda ≥ 4k. B is k×n row-major. Loops: column blocks outside, panels inside,
// so a k×(tile width) strip of B stays in L1 while the panels stream past it.
// To run a K range [p0, p1) of a larger product (threads split K), pass a + 4·p0, b + p0·n, k = p1 − p0
// and the full product's lda.
function gemm_pn<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void {
  const S = <usize>sizeof<T>();
  const L = 16 / <i32>S;
  const ldc = bytes<T>(n);
  let j = 0;
  for (; j + 2 * L <= n; j += 2 * L) {
    for (let i = 0; i < m; i += 4) {
      tile<T>(c + bytes<T>(i * n + j), ldc, m - i, a + bytes<T>((i >> 2) * lda), true, 0, 0, 0, 4 * S, b + bytes<T>(j), 0, false, ldc, k, TWO);
    }
  }
  if (j + L <= n) {
    for (let i = 0; i < m; i += 4) {
      tile<T>(c + bytes<T>(i * n + j), ldc, m - i, a + bytes<T>((i >> 2) * lda), true, 0, 0, 0, 4 * S, b + bytes<T>(j), 0, false, ldc, k, ONE);
    }
    j += L;
  }
  for (; j < n; j++) {
    for (let i = 0; i < m; i += 4) {
      tile<T>(c + bytes<T>(i * n + j), ldc, m - i, a + bytes<T>((i >> 2) * lda), true, 0, 0, 0, 4 * S, b + bytes<T>(j), 0, false, ldc, k, LANE);
    }
  }
}

// One block of up to 4 C rows [i, i + rows) across all n columns, for gemm_nn / gemm_tn / gemm_nt:
// A(i + r, p) at a + ar_r + p·ap (ar_r = r·ar for whole blocks, clamped to the last real row for a
// partial block), B as in `tile`.
// @ts-ignore: decorator
@inline function rowBlock<T>(
  c: usize, n: i32, rows: i32,
  a: usize, adjacent: bool, ar: usize, ap: usize,
  b: usize, gather: bool, bs: usize, bp: usize, k: i32,
): void {
  const S = <usize>sizeof<T>();
  const L = 16 / <i32>S;
  const ldc = bytes<T>(n);
  const last = <usize>(rows - 1);
  const a1 = ar * min<usize>(1, last);
  const a2 = ar * min<usize>(2, last);
  const a3 = ar * min<usize>(3, last);
  // Moving one column right: B(p, j + 1) is S bytes on, or one row of the stored Bᵀ on.
  const bj = gather ? bs : S;
  let j = 0;
  for (; j + 2 * L <= n; j += 2 * L) {
    tile<T>(c + bytes<T>(j), ldc, rows, a, adjacent, a1, a2, a3, ap, b + <usize>j * bj, bs, gather, bp, k, TWO);
  }
  if (j + L <= n) {
    tile<T>(c + bytes<T>(j), ldc, rows, a, adjacent, a1, a2, a3, ap, b + <usize>j * bj, bs, gather, bp, k, ONE);
    j += L;
  }
  for (; j < n; j++) {
    tile<T>(c + bytes<T>(j), ldc, rows, a, adjacent, a1, a2, a3, ap, b + <usize>j * bj, bs, gather, bp, k, LANE);
  }
}

// C[m×n] = A[m×k]·B[k×n], A and B row-major. 4-row blocks of C read A from 4 rows k elements apart.
function gemm_nn<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
  const S = <usize>sizeof<T>();
  for (let i = 0; i < m; i += 4) {
    rowBlock<T>(c + bytes<T>(i * n), n, min(4, m - i), a + bytes<T>(i * k), false, bytes<T>(k), S, b, false, 0, bytes<T>(n), k);
  }
}

// C[m×n] = Aᵀ·B, A stored k×lda (its first m columns are used; lda ≥ m), B k×n: the A values of 4 C
// rows at one p are adjacent in A's row p (a panel in place, so no packing), the next p is lda
// elements on. lda > m lets threads split M: rows [i0, i1) of C are this kernel on c + i0·n, a + i0,
// m = i1 − i0, with the full product's lda.
function gemm_tn<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void {
  const S = <usize>sizeof<T>();
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    rowBlock<T>(c + bytes<T>(i * n), n, 4, a + bytes<T>(i), true, S, bytes<T>(lda), b, false, 0, bytes<T>(n), k);
  }
  if (i < m) rowBlock<T>(c + bytes<T>(i * n), n, m - i, a + bytes<T>(i), false, S, bytes<T>(lda), b, false, 0, bytes<T>(n), k);
}

// C[m×n] = A·Bᵀ, A m×k, B stored n×k: B's vector for columns j… at p is gathered from B's rows j…
// (k elements apart), so unlike gemm.ts's SIMD gemm_nt the sum still runs in increasing p and the
// result is bit-identical to the reference.
function gemm_nt<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
  const S = <usize>sizeof<T>();
  for (let i = 0; i < m; i += 4) {
    rowBlock<T>(c + bytes<T>(i * n), n, min(4, m - i), a + bytes<T>(i * k), false, bytes<T>(k), S, b, true, bytes<T>(k), S, k);
  }
}

export function gemm_pn_f64_4x4(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void { gemm_pn<f64>(c, a, b, m, k, n, lda); }
export function gemm_pn_f32_4x8(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void { gemm_pn<f32>(c, a, b, m, k, n, lda); }
export function gemm_nn_f64_4x4(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void { gemm_nn<f64>(c, a, b, m, k, n); }
export function gemm_nn_f32_4x8(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void { gemm_nn<f32>(c, a, b, m, k, n); }
export function gemm_tn_f64_4x4(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void { gemm_tn<f64>(c, a, b, m, k, n, lda); }
export function gemm_tn_f32_4x8(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void { gemm_tn<f32>(c, a, b, m, k, n, lda); }
export function gemm_nt_f64_4x4(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void { gemm_nt<f64>(c, a, b, m, k, n); }
export function gemm_nt_f32_4x8(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void { gemm_nt<f32>(c, a, b, m, k, n); }
