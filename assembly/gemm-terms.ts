// The Gram form's update of h when grad_h is sparse, float64 in the SIMD build without FMA:
// C[m×n] += alpha·(A·B) as gemm_pn_acc's contract says (gemm-exports.ts), computed by columns of C
// over the terms whose B(p, j) is not zero. ReLU's mask zeroes about half of grad_h (B), so this does
// about half the multiply-adds of the dense sweep (gemm-simd.ts), which gemm-exports.ts runs instead
// where B is mostly nonzero, where A is not finite, in float32 and in the FMA builds: there the dense
// sweep measured as fast or faster (the seed run 1.06 × in f32, whose vectors hold 4 lanes to
// gather and scatter, and 1.02 × with FMA, whose dense sweep is a quarter faster; 0.94 × here).
//
// Bits: each sum still runs in increasing p from +0, one multiply then one add, then C + alpha·sum.
// A left-out term a·(±0) is ±0 when a is finite, and adding ±0 to a sum leaves it as it was: a sum
// that starts at +0 is never −0 (x + (−x) is +0 when rounding to nearest). So the bits are the
// dense sweep's, as long as A is finite; gemm-exports.ts runs this only then.
//
// Layout: A is in pack_panels' 4-row panels (panel q at byte a + q·ldaB, A(4q + r, p) at 4p + r in it),
// so a column p of A is 2 vectors in each panel. For each column j of C, B's column j is listed in
// `terms` (k f64 values, then k u32: each term's value and the byte offset 32p of its column in a
// panel), then 6 vectors of C's column j (3 panels, 12 rows) are summed at a time over the list, 6
// accumulators and one splat of B in registers (8 accumulators spill: V8 loads every vector before
// the multiplies). The 1 or 2 panels left over get a group of their own; C's column is read and
// written lane by lane (its rows are ldc bytes apart), rows past m never touched.

// C's column at c (rows from `row`, 2 of them or the last one) += alpha·sums; ORs x − x of the new
// values into bad (x − x is +0, all bits zero, for a finite x and NaN otherwise, as gemm-simd.ts's
// ACC). Rows at or past m are left alone.
// @ts-ignore: decorator
@inline function update(c: usize, ldc: usize, row: i32, m: i32, sums: v128, alpha: v128, bad: v128): v128 {
  if (row >= m) return bad;
  const cr = c + <usize>row * ldc;
  const two = row + 1 < m;
  let old = v128.load64_zero(cr);
  if (two) old = v128.load64_lane(cr + ldc, old, 1);
  const v = f64x2.add(old, f64x2.mul(alpha, sums));
  v128.store64_lane(cr, v, 0);
  if (two) v128.store64_lane(cr + ldc, v, 1);
  return v128.or(bad, f64x2.sub(v, v));
}

// C's column j (at cj) from row 4q: a group of `panels` panels (1 … 3, a constant at each call, so
// the unused accumulators compile away), rows 4q … 4q + 4·panels − 1, summed over the `count` listed
// terms and updated; returns bad.
// @ts-ignore: decorator
@inline function group(
  panels: i32, cj: usize, ldc: usize, m: i32, q: i32,
  a: usize, ldaB: usize, vals: usize, offs: usize, count: usize, alpha: v128, bad: v128,
): v128 {
  const a0 = a + <usize>q * ldaB;
  let s0 = f64x2.splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0;
  for (let t: usize = 0; t < count; t++) {
    const bv = v128.load_splat<f64>(vals + (t << 3));
    let u = a0 + <usize>load<u32>(offs + (t << 2));
    s0 = f64x2.add(s0, f64x2.mul(v128.load(u), bv));
    s1 = f64x2.add(s1, f64x2.mul(v128.load(u, 16), bv));
    if (panels > 1) {
      u += ldaB;
      s2 = f64x2.add(s2, f64x2.mul(v128.load(u), bv));
      s3 = f64x2.add(s3, f64x2.mul(v128.load(u, 16), bv));
    }
    if (panels > 2) {
      u += ldaB;
      s4 = f64x2.add(s4, f64x2.mul(v128.load(u), bv));
      s5 = f64x2.add(s5, f64x2.mul(v128.load(u, 16), bv));
    }
  }
  const row = 4 * q;
  bad = update(cj, ldc, row, m, s0, alpha, bad);
  bad = update(cj, ldc, row + 2, m, s1, alpha, bad);
  if (panels > 1) {
    bad = update(cj, ldc, row + 4, m, s2, alpha, bad);
    bad = update(cj, ldc, row + 6, m, s3, alpha, bad);
  }
  if (panels > 2) {
    bad = update(cj, ldc, row + 8, m, s4, alpha, bad);
    bad = update(cj, ldc, row + 10, m, s5, alpha, bad);
  }
  return bad;
}

// C[m×n] += alpha·(A·B) over B's nonzero terms (the header); A's panels lda elements apart, B k×n
// row-major, `terms` scratch for 2k f64. Returns whether every new C value is finite (false may also
// mean a lane past m was not: the caller then scans C), as the dense sweep's.
export function gemm_pn_acc_terms_f64(c: usize, a: usize, b: usize, alpha: f64, m: i32, k: i32, n: i32, lda: i32, terms: usize): bool {
  const ldb = <usize>n << 3;
  const ldaB = <usize>lda << 3;
  const panels = (m + 3) >> 2;
  const vals = terms;
  const offs = terms + (<usize>k << 3);
  const alphas = f64x2.splat(alpha);
  let bad = f64x2.splat(0);
  for (let j = 0; j < n; j++) {
    // B's column j as a list: every term stored, the count moved on past the nonzero ones only.
    let count: usize = 0;
    let bp = b + (<usize>j << 3);
    for (let p = 0; p < k; p++) {
      const v = load<f64>(bp);
      store<f64>(vals + (count << 3), v);
      store<u32>(offs + (count << 2), <u32>(p << 5));
      count += <usize>(v != 0);
      bp += ldb;
    }
    const cj = c + (<usize>j << 3);
    let q = 0;
    for (; q + 3 <= panels; q += 3) bad = group(3, cj, ldb, m, q, a, ldaB, vals, offs, count, alphas, bad);
    if (panels - q == 2) bad = group(2, cj, ldb, m, q, a, ldaB, vals, offs, count, alphas, bad);
    else if (panels - q == 1) bad = group(1, cj, ldb, m, q, a, ldaB, vals, offs, count, alphas, bad);
  }
  return !v128.any_true(bad);
}

// How many of the len f64 at b are not zero (NaN counts), in one vector pass with four counters:
// gemm-exports.ts runs the sparse update only where few enough are.
export function nonzeros_f64(b: usize, len: i32): i32 {
  let c0 = i64x2.splat(0), c1 = c0, c2 = c0, c3 = c0;
  const zero = f64x2.splat(0);
  let i = 0;
  // ne is all ones (−1) in each nonzero lane.
  for (; i + 8 <= len; i += 8) {
    const p = b + (<usize>i << 3);
    c0 = i64x2.sub(c0, f64x2.ne(v128.load(p), zero));
    c1 = i64x2.sub(c1, f64x2.ne(v128.load(p, 16), zero));
    c2 = i64x2.sub(c2, f64x2.ne(v128.load(p, 32), zero));
    c3 = i64x2.sub(c3, f64x2.ne(v128.load(p, 48), zero));
  }
  const counts = i64x2.add(i64x2.add(c0, c1), i64x2.add(c2, c3));
  let total = <i32>(i64x2.extract_lane(counts, 0) + i64x2.extract_lane(counts, 1));
  for (; i < len; i++) total += <i32>(load<f64>(b + (<usize>i << 3)) != 0);
  return total;
}
