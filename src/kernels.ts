/** Element types a network can hold: numpy's float64 (default) or float32. */
export type DType = "f64" | "f32";
/** Which implementation ran the arithmetic. */
export type BackendName = "wasm-simd" | "wasm-scalar" | "js";
export type FloatArray = Float64Array | Float32Array;

/** What a dtype is made of: the one place that says so (memory, kernels and threads read it here). */
export interface DTypeInfo {
  /** Bytes per element. */
  readonly bytes: 8 | 4;
  /** The typed array that views it. */
  readonly Array: Float64ArrayConstructor | Float32ArrayConstructor;
  /** The SIMD builds' micro-kernel tile, rows × columns of C (assembly/gemm-simd.ts). */
  readonly tile: "4x4" | "4x8";
}

/** Each dtype's element size, array type and micro-kernel tile. Its kernels' exports end in `_${dtype}`. */
export const DTYPES: Readonly<Record<DType, DTypeInfo>> = {
  f64: { bytes: 8, Array: Float64Array, tile: "4x4" },
  f32: { bytes: 4, Array: Float32Array, tile: "4x8" },
};

/** A typed-array view of `length` elements of `dtype` at byte `offset` of `buffer`. */
export function view(dtype: DType, buffer: ArrayBufferLike, offset: number, length: number): FloatArray {
  return new DTYPES[dtype].Array(buffer as ArrayBuffer, offset, length);
}

/**
 * Elements of pack_panels' output for an m×k matrix: ⌈m/4⌉ panels of 4 rows × k, panel q holding
 * A(4q + r, p) at element 4kq + 4p + r (rows past m are 0), so a 4-row tile's values at one p are
 * adjacent and a panel is read front to back.
 */
export function panelsLength(m: number, k: number): number {
  return Math.ceil(m / 4) * 4 * k;
}

/** Elements of gemm_nt_mask's scratch for an m×k A and an n×k B: A's panels, then Bᵀ (assembly/gemm-exports.ts). */
export function ntMaskScratchLength(m: number, k: number, n: number): number {
  return panelsLength(m, k) + k * n;
}

/**
 * Elements of the scratch the Gram form's kernels share on one thread or part (n samples, d_out
 * outputs, `hidden` hidden units): gemm_nt_mask's for grad_h, and gemm_pn_acc's 2N for the h update's
 * term lists (they run one after the other).
 */
export function gramScratchLength(n: number, dOut: number, hidden: number): number {
  return Math.max(2 * n, ntMaskScratchLength(n, dOut, hidden));
}

/**
 * A dense row-major matrix inside an arena: `offset` is its byte address in the arena's buffer (for
 * the wasm kernels, a pointer into linear memory), `array` a typed-array view of its `length`
 * elements, re-made whenever the buffer behind it changes (wasm memory growth).
 */
export interface Block {
  readonly offset: number;
  readonly length: number;
  readonly array: FloatArray;
}

/**
 * The arithmetic of one training step, implemented twice (wasm-kernels.ts, js-kernels.ts) with the
 * same contracts, which are written above the AssemblyScript kernels in assembly/: outputs first,
 * then inputs, then sizes in elements (each ≥ 1, validated by the caller).
 */
export interface Kernels {
  /** C[m×n] = A[m×k]·B[k×n]. */
  gemm_nn(c: Block, a: Block, b: Block, m: number, k: number, n: number): void;
  /** C[m×n] = Aᵀ·B, A stored k×m, B k×n. */
  gemm_tn(c: Block, a: Block, b: Block, m: number, k: number, n: number): void;
  /** C[m×n] = A·Bᵀ, A m×k, B stored n×k. */
  gemm_nt(c: Block, a: Block, b: Block, m: number, k: number, n: number): void;
  /** Packs A[m×k] into 4-row panels (panelsLength(m, k) elements) for gemm_pn. */
  pack_panels(panels: Block, a: Block, m: number, k: number): void;
  /**
   * Reserves now what gemm_pn of an m×n result needs besides its operands (the threaded kernels:
   * their partial products), so that no later step grows memory. Nothing to do on one thread.
   */
  prepare_pn(m: number, n: number): void;
  /** C[m×n] = A·B[k×n], A given as pack_panels' panels. */
  gemm_pn(c: Block, panels: Block, b: Block, m: number, k: number, n: number): void;
  /** out = max(h, 0), element-wise (numpy's np.maximum). */
  relu_forward(out: Block, h: Block, len: number): void;
  /** h = src and out = max(src, 0), element-wise (the Gram form's carried h and its ReLU). */
  copy_relu_forward(h: Block, out: Block, src: Block, len: number): void;
  /** grad = 0 where h < 0, in place. */
  relu_backward(grad: Block, h: Block, len: number): void;
  /** Returns Σ(pred − y)², writes grad = 2(pred − y). */
  sse_loss_grad(grad: Block, pred: Block, y: Block, len: number): number;
  /** w −= lr·g, in place. */
  sgd(w: Block, g: Block, lr: number, len: number): void;
  /** The first i that sgd with these arguments would make NaN or ±Infinity, or −1; changes nothing. */
  sgd_check(w: Block, g: Block, lr: number, len: number): number;
}

/**
 * The kernels the Gram form adds (src/gram-program.ts), with the same conventions: outputs first,
 * sizes in elements (each ≥ 1). Contracts above the AssemblyScript kernels (assembly/gemm-exports.ts);
 * the plain TypeScript ones are in src/js-gram-kernels.ts.
 */
export interface GramKernels {
  /**
   * C[m×n] += alpha·(A·B[k×n]), A given as pack_panels' panels of an m×k matrix, `terms` scratch of
   * at least 2k elements (where the float64 SIMD build without FMA lists B's nonzero terms); returns
   * the first i whose new C[i] is NaN or ±Infinity, or −1.
   */
  gemm_pn_acc(c: Block, panels: Block, b: Block, alpha: number, m: number, k: number, n: number, terms: Block): number;
  /**
   * C[m×n] = A[m×k]·Bᵀ (B stored n×k) as gemm_nt, then +0 where H[m×n] < 0 as relu_backward;
   * `scratch` of at least ntMaskScratchLength(m, k, n) elements (where the SIMD builds pack A and Bᵀ).
   */
  gemm_nt_mask(c: Block, a: Block, b: Block, h: Block, m: number, k: number, n: number, scratch: Block): void;
  /** out = w − lr·g as sgd computes it, w left as it was; returns sgd_check's answer for it (the first non-finite i, or −1). */
  sgd_into_checked(out: Block, w: Block, g: Block, lr: number, len: number): number;
}

/** Every kernel a network runs: the program's (Kernels) and the Gram form's. */
export type NetKernels = Kernels & GramKernels;
