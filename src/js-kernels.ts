import type { FloatArray, Kernels } from "./kernels.js";

// The plain TypeScript kernels: the reference the wasm kernels are tested against and the baseline
// they are benchmarked against. Same contracts as assembly/ (shapes in elements, row-major, outputs
// overwritten). Each sum runs in increasing p with one multiply then one add, as the wasm kernels do.
// With Float32Array operands every store rounds to float32 while products and the dot sums of
// gemm_nt are formed in float64 (JavaScript numbers), so f32 results agree with the wasm f32 kernels
// to float32 rounding, not bit for bit. f64 results of gemm_nn, gemm_tn, the ReLUs and sgd are the
// same bits as the wasm kernels'.

/** C[m×n] = A[m×k]·B[k×n] */
export function gemm_nn(c: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number): void {
  c.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      const bRow = p * n;
      const cRow = i * n;
      for (let j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j];
    }
  }
}

/** C[m×n] = Aᵀ·B, A stored k×m, B k×n */
export function gemm_tn(c: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number): void {
  c.fill(0, 0, m * n);
  for (let p = 0; p < k; p++) {
    const aRow = p * m;
    const bRow = p * n;
    for (let i = 0; i < m; i++) {
      const api = a[aRow + i];
      const cRow = i * n;
      for (let j = 0; j < n; j++) c[cRow + j] += api * b[bRow + j];
    }
  }
}

/** C[m×n] = A·Bᵀ, A m×k, B stored n×k */
export function gemm_nt(c: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const aRow = i * k;
    for (let j = 0; j < n; j++) {
      const bRow = j * k;
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[aRow + p] * b[bRow + p];
      c[i * n + j] = sum;
    }
  }
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
  c.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const aRow = (i >> 2) * lda + (i & 3);
    const cRow = i * n;
    for (let p = 0; p < k; p++) {
      const aip = panels[aRow + 4 * p];
      const bRow = p * n;
      for (let j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j];
    }
  }
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

/** The plain TypeScript backend (for either dtype: the arrays' own type rounds each store). */
export function jsKernels(): Kernels {
  return {
    gemm_nn: (c, a, b, m, k, n) => gemm_nn(c.array, a.array, b.array, m, k, n),
    gemm_tn: (c, a, b, m, k, n) => gemm_tn(c.array, a.array, b.array, m, k, n),
    gemm_nt: (c, a, b, m, k, n) => gemm_nt(c.array, a.array, b.array, m, k, n),
    pack_panels: (panels, a, m, k) => pack_panels(panels.array, a.array, m, k),
    prepare_pn() {},
    gemm_pn: (c, panels, b, m, k, n) => gemm_pn(c.array, panels.array, b.array, m, k, n),
    relu_forward: (out, h, len) => relu_forward(out.array, h.array, len),
    relu_backward: (grad, h, len) => relu_backward(grad.array, h.array, len),
    sse_loss_grad: (grad, pred, y, len) => sse_loss_grad(grad.array, pred.array, y.array, len),
    sgd: (w, g, lr, len) => sgd(w.array, g.array, lr, len),
    sgd_check: (w, g, lr, len) => sgd_check(w.array, g.array, lr, len),
  };
}
