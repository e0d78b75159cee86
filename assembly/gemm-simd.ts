// Register-blocked SIMD matrix products: the SIMD builds' kernels (gemm-exports.ts picks these where
// ASC_FEATURE_SIMD is on, gemm.ts's plain loops elsewhere). The contracts are those of the exported
// kernels in gemm-exports.ts.
//
// Each C element is Σ_p a(i,p)·b(p,j) summed in increasing p starting from +0, one multiply then one
// add, so the results are bit-identical to gemm.ts's and the TypeScript reference's — except in the
// FMA builds (ASC_FEATURE_RELAXED_SIMD), where each multiply-add is one relaxed_madd: fused (one
// rounding) on engines that fuse it (V8 on x64 with FMA3 and on arm64), two roundings elsewhere
// (JavaScriptCore, so Bun), hence last-bit differences between engines. The order over p is the same.
//
// The tile: 4 rows of C × 2 vectors (f64: 4×4, f32: 4×8) is 8 v128 accumulators, which V8 keeps in
// x64's 16 xmm registers with room for 2 B vectors and 1 A splat; 10 or more accumulators spill and
// run at half speed. Per p we load 2 vectors of B's row p and splat 4 values of A, one per C row.
// Columns left over after the 2-vector blocks get a 1-vector tile, then one column at a time (lane 0
// of a vector loaded with load_zero, so no byte past the end of a row is read). Rows left over
// (m % 4) get the same tile, the missing rows' results not stored: gemm_pn computes its last panel's
// padding rows (zeros, inside the panels), the others point the missing rows' A reads at the last real
// row. No kernel reads or writes a byte outside A, B and C as their contracts size them.
//
// A and B are addressed as gemm.ts's gemm_strided addresses them, in bytes:
//   A(i, p) at a + (i >> 2)·aBlock + (i & 3)·aRow + p·aStep,   B(p, j) at b + p·bStep + j·bCol,
// and B's vector of columns j… at one p is either contiguous (bCol = S: row-major B) or gathered lane
// by lane from b, b + bCol, … (gemm_nt's B, stored transposed).

// @ts-ignore: decorator
@inline function madd<T>(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<T>(a, b, acc);
  return v128.add<T>(acc, v128.mul<T>(a, b));
}

// Width of a tile: two vectors, one vector, or one column (lane 0).
const TWO: i32 = 2;
const ONE: i32 = 1;
const LANE: i32 = 0;

// How the A values of one 4-row block of C sit at one p (each product's compile-time choice):
// STRIDED: row r's is r·aRow bytes after row 0's (row-major A); a partial last block (m % 4 rows)
//   reads its missing rows from its last real row.
// ADJACENT: side by side (aRow = S: the panels of gemm_pn; gemm_tn's A, whose row p holds them), read
//   through the loads' offset immediates, which keeps 3 address adds out of the inner loop. A partial
//   block reads all 4, which only the panels allow (their padding rows); gemm_tn's is read STRIDED.
const STRIDED: bool = false;
const ADJACENT: bool = true;

// How B's vector of columns j… at one p is read: adjacent, or one lane from each of B's stored rows.
const CONTIGUOUS: bool = false;
const GATHERED: bool = true;

// B's vector at b for one p: `width` lanes' worth, lane l of a gathered vector from b + l·bCol.
// @ts-ignore: decorator
@inline function loadB<T>(b: usize, bCol: usize, gathered: bool, width: i32): v128 {
  const S = sizeof<T>();
  if (width == LANE) return S == 8 ? v128.load64_zero(b) : v128.load32_zero(b);
  if (!gathered) return v128.load(b);
  if (S == 8) return v128.load64_lane(b + bCol, v128.load64_zero(b), 1);
  let v = v128.load32_zero(b);
  v = v128.load32_lane(b + bCol, v, 1);
  v = v128.load32_lane(b + 2 * bCol, v, 2);
  return v128.load32_lane(b + 3 * bCol, v, 3);
}

// What a tile does with its sums (each product's compile-time choice):
// STORE: C = the sums.
// ACC: C += alpha·(the sums), one multiply then one add (gemm_pn_acc), each new value's x − x OR-ed
//   into the tile's `bad` (x − x is +0, all bits zero, for a finite x and NaN otherwise, so bad stays
//   zero while every value is finite; an OR waits one cycle on the last, where an add waits four).
// MASK: C = the sums, +0 where H < 0 (gemm_nt_mask: numpy's grad_h[h < 0] = 0 riding on the product),
//   H's element at C's address + hDelta (H laid out as C).
const STORE: i32 = 0;
const ACC: i32 = 1;
const MASK: i32 = 2;

// One vector (or lane 0) of C at c: its old value plus alpha times v.
// @ts-ignore: decorator
@inline function plusScaled<T>(c: usize, v: v128, alpha: v128, width: i32): v128 {
  const old = width == LANE ? (sizeof<T>() == 8 ? v128.load64_zero(c) : v128.load32_zero(c)) : v128.load(c);
  return v128.add<T>(old, v128.mul<T>(alpha, v));
}

// v with its lanes zeroed where H at h is negative (lane 0 only for a LANE tile).
// @ts-ignore: decorator
@inline function masked<T>(h: usize, v: v128, width: i32): v128 {
  const hv = width == LANE ? (sizeof<T>() == 8 ? v128.load64_zero(h) : v128.load32_zero(h)) : v128.load(h);
  return v128.andnot(v, v128.lt<T>(hv, v128.splat<T>(<T>0)));
}

// Stores one C row of a tile (2 vectors, 1 vector or lane 0) as `epilogue` says; returns bad.
// @ts-ignore: decorator
@inline function storeRow<T>(c: usize, v0: v128, v1: v128, width: i32, epilogue: i32, alpha: v128, hDelta: usize, bad: v128): v128 {
  if (epilogue == ACC) {
    if (width == TWO) {
      v1 = plusScaled<T>(c + 16, v1, alpha, ONE);
      bad = v128.or(bad, v128.sub<T>(v1, v1));
    }
    v0 = plusScaled<T>(c, v0, alpha, width);
    bad = v128.or(bad, v128.sub<T>(v0, v0));
  } else if (epilogue == MASK) {
    if (width == TWO) v1 = masked<T>(c + 16 + hDelta, v1, ONE);
    v0 = masked<T>(c + hDelta, v0, width);
  }
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
  return bad;
}

// The micro-kernel: C rows [0, rows) (1 ≤ rows ≤ 4) × one tile width at c (rows ldc bytes apart)
// = Σ_p A(r, p)·B(p, ·) for p in [0, k). A's row r is at a + r·S when `adjacent`, else at a + r·aRow
// with the rows past `rows` reading the last real row again; B's vectors come from b. Each next p is
// aStep bytes on in A and bStep in B. The sums are stored as `epilogue` says; returns bad (ACC).
// @ts-ignore: decorator
@inline function tile<T>(
  width: i32, c: usize, ldc: usize, rows: i32, k: i32,
  a: usize, aRow: usize, aStep: usize, adjacent: bool,
  b: usize, bCol: usize, bStep: usize, gathered: bool,
  epilogue: i32, alpha: T, hDelta: usize, bad: v128,
): v128 {
  const S = sizeof<T>();
  const L = <usize>(16 / S);
  const last = <usize>(rows - 1);
  const a1 = aRow * min<usize>(1, last);
  const a2 = aRow * min<usize>(2, last);
  const a3 = aRow * min<usize>(3, last);
  let c00 = v128.splat<T>(<T>0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (let p = 0; p < k; p++) {
    const b0 = loadB<T>(b, bCol, gathered, width);
    const b1 = width == TWO ? loadB<T>(b + L * bCol, bCol, gathered, width) : b0;
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
    a += aStep;
    b += bStep;
  }
  const alphas = v128.splat<T>(alpha);
  bad = storeRow<T>(c, c00, c01, width, epilogue, alphas, hDelta, bad);
  if (rows > 1) bad = storeRow<T>(c + ldc, c10, c11, width, epilogue, alphas, hDelta, bad);
  if (rows > 2) bad = storeRow<T>(c + 2 * ldc, c20, c21, width, epilogue, alphas, hDelta, bad);
  if (rows > 3) bad = storeRow<T>(c + 3 * ldc, c30, c31, width, epilogue, alphas, hDelta, bad);
  return bad;
}

// One column block of C (columns from j, one tile width) down all m rows, 4 at a time.
// @ts-ignore: decorator
@inline function columnBlock<T>(
  width: i32, j: i32, c: usize, m: i32, n: i32, k: i32,
  a: usize, aBlock: usize, aRow: usize, aStep: usize, adjacent: bool,
  b: usize, bCol: usize, bStep: usize, gathered: bool,
  epilogue: i32, alpha: T, hDelta: usize, bad: v128,
): v128 {
  const S = <usize>sizeof<T>();
  const ldc = <usize>n * S;
  const cj = c + <usize>j * S;
  const bj = b + <usize>j * bCol;
  for (let i = 0; i < m; i += 4) {
    bad = tile<T>(width, cj + <usize>i * ldc, ldc, min(4, m - i), k, a + <usize>(i >> 2) * aBlock, aRow, aStep, adjacent, bj, bCol, bStep, gathered, epilogue, alpha, hDelta, bad);
  }
  return bad;
}

// C[m×n] = Σ_p A(i, p)·B(p, j), A and B addressed as the header says. Column blocks outside (as wide
// as the tiles allow: two vectors, then one, then single columns), row blocks inside, so a k×(tile
// width) strip of B stays in L1 while A streams past it: gemm_pn's order, whose panels stream.
// @ts-ignore: decorator
@inline function sweep<T>(
  c: usize, m: i32, n: i32, k: i32,
  a: usize, aBlock: usize, aRow: usize, aStep: usize, adjacent: bool,
  b: usize, bCol: usize, bStep: usize, gathered: bool,
  epilogue: i32 = STORE, alpha: T = <T>0, hDelta: usize = 0, bad: v128 = v128.splat<T>(<T>0),
): v128 {
  const L = 16 / sizeof<T>();
  let j = 0;
  for (; j + 2 * L <= n; j += 2 * L) bad = columnBlock<T>(TWO, j, c, m, n, k, a, aBlock, aRow, aStep, adjacent, b, bCol, bStep, gathered, epilogue, alpha, hDelta, bad);
  if (j + L <= n) {
    bad = columnBlock<T>(ONE, j, c, m, n, k, a, aBlock, aRow, aStep, adjacent, b, bCol, bStep, gathered, epilogue, alpha, hDelta, bad);
    j += L;
  }
  for (; j < n; j++) bad = columnBlock<T>(LANE, j, c, m, n, k, a, aBlock, aRow, aStep, adjacent, b, bCol, bStep, gathered, epilogue, alpha, hDelta, bad);
  return bad;
}

// The same, one 4-row block of C at a time, so that the block's A stays in L1 while B streams past
// it: the order of gemm_nn, gemm_tn and gemm_nt, whose A rows are not packed. An ADJACENT A's partial
// last block is read STRIDED, so that no byte past A's last column is read.
// @ts-ignore: decorator
@inline function sweepRowBlocks<T>(
  c: usize, m: i32, n: i32, k: i32,
  a: usize, aBlock: usize, aRow: usize, aStep: usize, adjacent: bool,
  b: usize, bCol: usize, bStep: usize, gathered: bool,
  epilogue: i32 = STORE, hDelta: usize = 0,
): void {
  const ldc = <usize>n * sizeof<T>();
  for (let i = 0; i < m; i += 4) {
    const rows = min(4, m - i);
    const ci = c + <usize>i * ldc;
    const ai = a + <usize>(i >> 2) * aBlock;
    if (adjacent && rows < 4) sweep<T>(ci, rows, n, k, ai, aBlock, aRow, aStep, STRIDED, b, bCol, bStep, gathered, epilogue, <T>0, hDelta);
    else sweep<T>(ci, rows, n, k, ai, aBlock, aRow, aStep, adjacent, b, bCol, bStep, gathered, epilogue, <T>0, hDelta);
  }
}

// The four products, each swept with the strides gemm.ts gives it.

export function gemm_nn<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
  const S = <usize>sizeof<T>();
  const K = <usize>k * S;
  sweepRowBlocks<T>(c, m, n, k, a, 4 * K, K, S, STRIDED, b, S, <usize>n * S, CONTIGUOUS);
}

export function gemm_tn<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void {
  const S = <usize>sizeof<T>();
  sweepRowBlocks<T>(c, m, n, k, a, 4 * S, S, <usize>lda * S, ADJACENT, b, S, <usize>n * S, CONTIGUOUS);
}

export function gemm_nt<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
  const S = <usize>sizeof<T>();
  const K = <usize>k * S;
  sweepRowBlocks<T>(c, m, n, k, a, 4 * K, K, S, STRIDED, b, K, S, GATHERED);
}

// gemm_pn's sweep (A in panels, lda = 4k; B k×n row-major), each C element stored as +0 where H (laid
// out as C, at h) is negative: gemm_nt_mask's product, on the A and Bᵀ it packed.
export function gemm_pn_mask<T>(c: usize, a: usize, b: usize, h: usize, m: i32, k: i32, n: i32): void {
  const S = <usize>sizeof<T>();
  sweep<T>(c, m, n, k, a, 4 * <usize>k * S, S, 4 * S, ADJACENT, b, S, <usize>n * S, CONTIGUOUS, MASK, <T>0, h - c);
}

export function gemm_pn<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void {
  const S = <usize>sizeof<T>();
  sweep<T>(c, m, n, k, a, <usize>lda * S, S, 4 * S, ADJACENT, b, S, <usize>n * S, CONTIGUOUS);
}

// gemm_pn's sweep, adding alpha times each sum to C (C += alpha·A·B) instead of overwriting it.
// Returns whether every new C value is finite (false may also mean an unstored lane was not: the
// caller then scans C).
export function gemm_pn_acc<T>(c: usize, a: usize, b: usize, alpha: T, m: i32, k: i32, n: i32, lda: i32): bool {
  const S = <usize>sizeof<T>();
  const bad = sweep<T>(c, m, n, k, a, <usize>lda * S, S, 4 * S, ADJACENT, b, S, <usize>n * S, CONTIGUOUS, ACC, alpha);
  return !v128.any_true(bad);
}
