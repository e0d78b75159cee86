// The plain matrix products: the scalar build's kernels, and the reference the SIMD micro-kernels of
// gemm-simd.ts are held to (bit for bit without FMA). One strided loop nest; each product the network
// needs is that nest with its own strides. The contracts (shapes, layouts, aliasing) are those of the
// exported kernels in gemm-exports.ts.

// C[m×n] (row-major, dense, overwritten) = Σ_p A(i, p)·B(p, j), where, in bytes,
//   A(i, p) is at a + (i >> 2)·aBlock + (i & 3)·aRow + p·aStep,
//   B(p, j) is at b + p·bStep + j·bCol.
// Rows come in blocks of 4 so that pack_panels' panels are strides too (aBlock = the panel stride); for
// a plain matrix aBlock = 4·aRow. Each C element is summed in increasing p starting from +0, one
// multiply then one add, as src/js-kernels.ts does. With `update`, C(i, j) += alpha·(that sum)
// instead (one multiply, then one add: gemm_pn_acc).
function gemm_strided<T>(
  c: usize, m: i32, n: i32, k: i32,
  a: usize, aBlock: usize, aRow: usize, aStep: usize,
  b: usize, bCol: usize, bStep: usize,
  update: bool = false, alpha: T = <T>0,
): void {
  const S = <usize>sizeof<T>();
  for (let i = 0; i < m; i++) {
    const aRowStart = a + <usize>(i >> 2) * aBlock + <usize>(i & 3) * aRow;
    const cRow = c + <usize>i * <usize>n * S;
    for (let j = 0; j < n; j++) {
      let pa = aRowStart;
      let pb = b + <usize>j * bCol;
      let acc = <T>0;
      for (let p = 0; p < k; p++) {
        acc += load<T>(pa) * load<T>(pb);
        pa += aStep;
        pb += bStep;
      }
      const cij = cRow + <usize>j * S;
      store<T>(cij, update ? load<T>(cij) + alpha * acc : acc);
    }
  }
}

// C = A·B, A m×k and B k×n row-major.
export function gemm_nn<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
  const S = <usize>sizeof<T>();
  const K = <usize>k * S;
  gemm_strided<T>(c, m, n, k, a, 4 * K, K, S, b, S, <usize>n * S);
}

// C = Aᵀ·B, A stored k×lda (its first m columns used), B k×n: A(i, p) is stored at row p, column i.
export function gemm_tn<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void {
  const S = <usize>sizeof<T>();
  gemm_strided<T>(c, m, n, k, a, 4 * S, S, <usize>lda * S, b, S, <usize>n * S);
}

// C = A·Bᵀ, A m×k, B stored n×k: B(p, j) is stored at row j, column p.
export function gemm_nt<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
  const S = <usize>sizeof<T>();
  const K = <usize>k * S;
  gemm_strided<T>(c, m, n, k, a, 4 * K, K, S, b, K, S);
}

// C = A·B, A given as pack_panels' panels (panel q at element q·lda, A(4q + r, p) at 4p + r in it).
export function gemm_pn<T>(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, lda: i32): void {
  const S = <usize>sizeof<T>();
  gemm_strided<T>(c, m, n, k, a, <usize>lda * S, S, 4 * S, b, S, <usize>n * S);
}

// C += alpha·A·B, A given as pack_panels' panels (as gemm_pn).
export function gemm_pn_acc<T>(c: usize, a: usize, b: usize, alpha: T, m: i32, k: i32, n: i32, lda: i32): void {
  const S = <usize>sizeof<T>();
  gemm_strided<T>(c, m, n, k, a, <usize>lda * S, S, 4 * S, b, S, <usize>n * S, true, alpha);
}
