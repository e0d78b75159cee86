import type { FloatArray, Kernels } from "./kernels.js";

// The plain TypeScript kernels: the "js" backend, the reference the wasm kernels are tested against,
// and the pure-JS side of every speed comparison. Same contracts as assembly/ (shapes in elements,
// row-major, outputs overwritten).
//
// Every element of a product is summed in increasing p from 0, one multiply then one add, in float64
// (JavaScript numbers), as the wasm scalar build does: f64 results are the same bits as the wasm
// kernels' (and the element-wise kernels' too). With Float32Array operands the sums are formed in
// float64 the same way and each result is rounded to float32 once, when stored, so f32 results
// agree with the wasm f32 kernels (which round every step) to float32 rounding, not bit for bit.
//
// The products run in tiles of 4 rows × 4 columns of C: 16 sums kept in local variables over the
// whole of k, each step loading 4 values of A and 4 adjacent values of a row of B (so nothing of C
// is read or stored inside the loop, and B's rows are read once per 4 rows of C); gemm_nt, whose B is
// stored transposed, copies Bᵀ into scratch first. The order each element is summed in is the plain
// loop's; only which elements are summed side by side changes.

/**
 * C[m×n] (dense, overwritten) = Σ_p A(i, p)·B(p, j) with, in elements, A(i, p) at
 * (i >> 2)·aBlock + (i & 3)·aRow + p·aStep and B(p, j) at p·bStep + j (B's rows dense). Rows come in
 * blocks of 4 so that pack_panels' panels are strides too (assembly/gemm.ts's gemm_strided, for a
 * B whose columns are adjacent). c must not overlap a or b.
 *
 * Written twice, gemm_rows_f64 and gemm_rows_f32, the same text but for the array types: V8 keeps
 * what it learns about element loads per function, and with one function for both, the f64 seed run
 * right after an f32 one took 5.7 s instead of 4.5–4.8 (Node 20, AMD EPYC; both in one process, as
 * in npm run bench); with two it took 4.3–4.5.
 */
function gemm_rows_f64(c: Float64Array, m: number, n: number, k: number, a: Float64Array, aBlock: number, aRow: number, aStep: number, b: Float64Array, bStep: number): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = (i >> 2) * aBlock;
    const a1 = a0 + aRow;
    const a2 = a1 + aRow;
    const a3 = a2 + aRow;
    const c0 = i * n;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let p = 0, pa = 0, pb = j; p < k; p++, pa += aStep, pb += bStep) {
        const b0 = b[pb], b1 = b[pb + 1], b2 = b[pb + 2], b3 = b[pb + 3];
        let x = a[a0 + pa];
        s00 += x * b0; s01 += x * b1; s02 += x * b2; s03 += x * b3;
        x = a[a1 + pa];
        s10 += x * b0; s11 += x * b1; s12 += x * b2; s13 += x * b3;
        x = a[a2 + pa];
        s20 += x * b0; s21 += x * b1; s22 += x * b2; s23 += x * b3;
        x = a[a3 + pa];
        s30 += x * b0; s31 += x * b1; s32 += x * b2; s33 += x * b3;
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
      for (let p = 0, pa = 0, pb = j; p < k; p++, pa += aStep, pb += bStep) {
        const bv = b[pb];
        s0 += a[a0 + pa] * bv; s1 += a[a1 + pa] * bv; s2 += a[a2 + pa] * bv; s3 += a[a3 + pa] * bv;
      }
      c[c0 + j] = s0; c[c0 + n + j] = s1; c[c0 + 2 * n + j] = s2; c[c0 + 3 * n + j] = s3;
    }
  }
  for (; i < m; i++) {
    const ai = (i >> 2) * aBlock + (i & 3) * aRow;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0, pa = ai, pb = j; p < k; p++, pa += aStep, pb += bStep) s += a[pa] * b[pb];
      c[i * n + j] = s;
    }
  }
}

/** gemm_rows_f64 for Float32Array operands (sums in float64, each result rounded to float32 when stored). */
function gemm_rows_f32(c: Float32Array, m: number, n: number, k: number, a: Float32Array, aBlock: number, aRow: number, aStep: number, b: Float32Array, bStep: number): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = (i >> 2) * aBlock;
    const a1 = a0 + aRow;
    const a2 = a1 + aRow;
    const a3 = a2 + aRow;
    const c0 = i * n;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let p = 0, pa = 0, pb = j; p < k; p++, pa += aStep, pb += bStep) {
        const b0 = b[pb], b1 = b[pb + 1], b2 = b[pb + 2], b3 = b[pb + 3];
        let x = a[a0 + pa];
        s00 += x * b0; s01 += x * b1; s02 += x * b2; s03 += x * b3;
        x = a[a1 + pa];
        s10 += x * b0; s11 += x * b1; s12 += x * b2; s13 += x * b3;
        x = a[a2 + pa];
        s20 += x * b0; s21 += x * b1; s22 += x * b2; s23 += x * b3;
        x = a[a3 + pa];
        s30 += x * b0; s31 += x * b1; s32 += x * b2; s33 += x * b3;
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
      for (let p = 0, pa = 0, pb = j; p < k; p++, pa += aStep, pb += bStep) {
        const bv = b[pb];
        s0 += a[a0 + pa] * bv; s1 += a[a1 + pa] * bv; s2 += a[a2 + pa] * bv; s3 += a[a3 + pa] * bv;
      }
      c[c0 + j] = s0; c[c0 + n + j] = s1; c[c0 + 2 * n + j] = s2; c[c0 + 3 * n + j] = s3;
    }
  }
  for (; i < m; i++) {
    const ai = (i >> 2) * aBlock + (i & 3) * aRow;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0, pa = ai, pb = j; p < k; p++, pa += aStep, pb += bStep) s += a[pa] * b[pb];
      c[i * n + j] = s;
    }
  }
}

/** gemm_rows_f64 or gemm_rows_f32, by the arrays' type (a network's arrays are all of one dtype). */
function gemm_rows(c: FloatArray, m: number, n: number, k: number, a: FloatArray, aBlock: number, aRow: number, aStep: number, b: FloatArray, bStep: number): void {
  if (c instanceof Float64Array) gemm_rows_f64(c, m, n, k, a as Float64Array, aBlock, aRow, aStep, b as Float64Array, bStep);
  else gemm_rows_f32(c, m, n, k, a as Float32Array, aBlock, aRow, aStep, b as Float32Array, bStep);
}

/** C[m×n] = A[m×k]·B[k×n] */
export function gemm_nn(c: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number): void {
  gemm_rows(c, m, n, k, a, 4 * k, k, 1, b, n);
}

/** C[m×n] = Aᵀ·B, A stored k×m, B k×n */
export function gemm_tn(c: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number): void {
  gemm_rows(c, m, n, k, a, 4, 1, m, b, n);
}

/**
 * C[m×n] = A·Bᵀ, A m×k, B stored n×k: B is transposed into `bt` (k·n elements of C's type, made if
 * not given), then multiplied as gemm_nn's tiles multiply, each element still summed in increasing p.
 */
export function gemm_nt(c: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number, bt?: FloatArray): void {
  const t = bt ?? new (c instanceof Float32Array ? Float32Array : Float64Array)(k * n);
  for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) t[p * n + j] = b[j * k + p];
  gemm_rows(c, m, n, k, a, 4 * k, k, 1, t, n);
}

/** Packs A[m×k] into 4-row panels: panel q holds A(4q + r, p) at 4kq + 4p + r; rows past m are 0 */
export function pack_panels(panels: FloatArray, a: FloatArray, m: number, k: number): void {
  for (let i0 = 0; i0 < m; i0 += 4) {
    for (let r = 0; r < 4; r++) {
      const i = i0 + r;
      for (let p = 0; p < k; p++) panels[i0 * k + 4 * p + r] = i < m ? a[i * k + p] : 0;
    }
  }
}

/** C[m×n] = A·B[k×n], A given as pack_panels' panels (panel q at element q·lda, lda = 4k by default) */
export function gemm_pn(c: FloatArray, panels: FloatArray, b: FloatArray, m: number, k: number, n: number, lda = 4 * k): void {
  gemm_rows(c, m, n, k, panels, lda, 1, 4, b, n);
}

/** out = max(h, 0) as numpy's np.maximum: NaN stays NaN, −0 becomes +0 */
export function relu_forward(out: FloatArray, h: FloatArray, len: number): void {
  for (let i = 0; i < len; i++) out[i] = Math.max(h[i], 0);
}

/** grad = 0 where h < 0 (strictly), in place */
export function relu_backward(grad: FloatArray, h: FloatArray, len: number): void {
  for (let i = 0; i < len; i++) if (h[i] < 0) grad[i] = 0;
}

/** Returns Σ(pred − y)² and writes grad = 2(pred − y) */
export function sse_loss_grad(grad: FloatArray, pred: FloatArray, y: FloatArray, len: number): number {
  const f32 = grad instanceof Float32Array;
  let sum = 0;
  for (let i = 0; i < len; i++) {
    const d = f32 ? Math.fround(pred[i] - y[i]) : pred[i] - y[i];
    grad[i] = 2 * d;
    sum += d * d;
  }
  return sum;
}

/** w −= lr·g, in place (lr·g rounded to the element type first, as numpy's w -= lr * g) */
export function sgd(w: FloatArray, g: FloatArray, lr: number, len: number): void {
  if (w instanceof Float32Array) {
    const rate = Math.fround(lr);
    for (let i = 0; i < len; i++) w[i] = w[i] - Math.fround(rate * g[i]);
  } else {
    for (let i = 0; i < len; i++) w[i] -= lr * g[i];
  }
}

/** The first i that sgd would make NaN or ±Infinity (the same rounding), or −1 */
export function sgd_check(w: FloatArray, g: FloatArray, lr: number, len: number): number {
  if (w instanceof Float32Array) {
    const rate = Math.fround(lr);
    for (let i = 0; i < len; i++) if (!Number.isFinite(Math.fround(w[i] - Math.fround(rate * g[i])))) return i;
  } else {
    for (let i = 0; i < len; i++) if (!Number.isFinite(w[i] - lr * g[i])) return i;
  }
  return -1;
}

/** out += a, element-wise (how the threaded builds add their partial products) */
export function accumulate(out: FloatArray, a: FloatArray, len: number): void {
  for (let i = 0; i < len; i++) out[i] += a[i];
}

/** The most elements gemm_nt keeps as scratch between calls (8 MB of float64). */
const KEPT_SCRATCH = 1 << 20;

/**
 * Scratch arrays for a backend's kernels: `length` elements of c's type, from one array kept between
 * calls (grown when asked), or a new one each call past `kept` elements (so a gemm_nt of a large B,
 * the Gram form's K = x·xᵀ, holds its transpose only while it runs).
 */
export function scratchOf(kept = KEPT_SCRATCH): (c: FloatArray, length: number) => FloatArray {
  let array: FloatArray = new Float64Array(0);
  return (c, length) => {
    const Type = c instanceof Float32Array ? Float32Array : Float64Array;
    if (length > kept) return new Type(length);
    if (array.length < length || !(array instanceof Type)) array = new Type(length);
    return array;
  };
}

/** The plain TypeScript backend (for either dtype: the arrays' own type rounds each store). */
export function jsKernels(): Kernels {
  const scratch = scratchOf();
  return {
    gemm_nn: (c, a, b, m, k, n) => gemm_nn(c.array, a.array, b.array, m, k, n),
    gemm_tn: (c, a, b, m, k, n) => gemm_tn(c.array, a.array, b.array, m, k, n),
    gemm_nt: (c, a, b, m, k, n) => gemm_nt(c.array, a.array, b.array, m, k, n, scratch(c.array, k * n)),
    pack_panels: (panels, a, m, k) => pack_panels(panels.array, a.array, m, k),
    prepare_pn() {},
    gemm_pn: (c, panels, b, m, k, n) => gemm_pn(c.array, panels.array, b.array, m, k, n),
    relu_forward: (out, h, len) => relu_forward(out.array, h.array, len),
    copy_relu_forward: (h, out, src, len) => {
      h.array.set(src.array.subarray(0, len));
      relu_forward(out.array, src.array, len);
    },
    relu_backward: (grad, h, len) => relu_backward(grad.array, h.array, len),
    sse_loss_grad: (grad, pred, y, len) => sse_loss_grad(grad.array, pred.array, y.array, len),
    sgd: (w, g, lr, len) => sgd(w.array, g.array, lr, len),
    sgd_check: (w, g, lr, len) => sgd_check(w.array, g.array, lr, len),
  };
}
