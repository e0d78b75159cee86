import type { BackendName, DType } from "./kernels.js";

/** How a network trains: the numpy program as written, or its Gram form. */
export type Algorithm = "direct" | "gram";

/**
 * What ran, said once: a network reports it, and so does every training result made with it.
 * The compute behind a network (compute.ts) decides it.
 */
export interface RunInfo {
  /** Which implementation runs the arithmetic: "wasm-simd", "wasm-scalar" or "js". */
  backend: BackendName;
  /** The element type: "f64" (numpy's float64) or "f32". */
  dtype: DType;
  /** Threads the kernels run on: `threads` as asked for, or 1 where it could not be had (see `fallbacks`). */
  threadsUsed: number;
  /** Whether the matrix products use fused multiply-add (`fma: true` where the engine has relaxed SIMD). */
  fmaUsed: boolean;
  /**
   * The form of training that ran: `"direct"` (the numpy program as written) or `"gram"` (see README,
   * "The Gram form"); `"direct"` where `algorithm: "gram"` was asked for but N ≥ D_in (see `fallbacks`).
   */
  algorithmUsed: Algorithm;
  /** What was asked for (fma, threads, algorithm) but could not be had here, and why; empty when everything was. */
  fallbacks: string[];
}
