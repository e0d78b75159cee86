/**
 * The builds of assembly/ (one source, built five ways by scripts/build-wasm.mjs; every build exports
 * the same kernel names):
 * - `"simd"`: 128-bit SIMD, the register-blocked micro-kernels; the default where SIMD validates.
 * - `"scalar"`: no SIMD, the straightforward loops; for engines without SIMD.
 * - `"fma"`: as simd, with relaxed SIMD's fused multiply-add in the matrix products (`fma: true`).
 * - `"threads"`, `"threads-fma"`: as simd / fma over an imported shared memory, for `threads` > 1.
 */
export type WasmBuild = "simd" | "scalar" | "fma" | "threads" | "threads-fma";

/**
 * The file each build ships as, in build/ (relative to the package root). The one list of shipped
 * wasm files: per-runtime entry points and the package's `files` follow it.
 */
export const BUILD_FILES: Readonly<Record<WasmBuild, string>> = {
  simd: "twolayer.simd.wasm",
  scalar: "twolayer.scalar.wasm",
  fma: "twolayer.fma.wasm",
  threads: "twolayer.threads.wasm",
  "threads-fma": "twolayer.threads-fma.wasm",
};

/** The builds that import a shared memory (and so run on several threads). */
export const THREADED_BUILDS: readonly WasmBuild[] = ["threads", "threads-fma"];

/** The largest memory a threaded build declares, in 64 KiB pages (4 GiB), as asconfig.json says. */
export const SHARED_MAXIMUM_PAGES = 65536;

/**
 * Where a build's wasm comes from: a URL (fetched), bytes, a `Response` (or a promise of one), or a
 * `WebAssembly.Module` compiled already — the only form edge runtimes such as Cloudflare Workers
 * accept, since they forbid compiling bytes at run time.
 */
export type WasmSource =
  | URL
  | string
  | ArrayBuffer
  | ArrayBufferView
  | Response
  | PromiseLike<Response>
  | WebAssembly.Module;

type Gemm = (c: number, a: number, b: number, m: number, k: number, n: number) => void;
/** A product taking a stride as its last argument: lda of A's panels (gemm_pn) or of A's rows (gemm_tn). */
export type GemmStrided = (c: number, a: number, b: number, m: number, k: number, n: number, lda: number) => void;

/**
 * C += alpha·A·B with A as pack_panels' panels and `terms` scratch for 2k elements (gemm_pn_acc: the
 * Gram form's h update); returns the first non-finite C index or −1.
 */
export type GemmAcc = (c: number, a: number, b: number, alpha: number, m: number, k: number, n: number, terms: number) => number;
/** C = A·Bᵀ, then +0 where H < 0, with scratch of ntMaskScratchLength(m, k, n) elements (gemm_nt_mask: the Gram form's grad_h). */
export type GemmMask = (c: number, a: number, b: number, h: number, m: number, k: number, n: number, scratch: number) => void;

/**
 * The raw exports of a build, as assembly/index.ts declares them (pointers are byte addresses). Every
 * build exports the same names: the SIMD builds' products are the register-blocked micro-kernels,
 * the scalar build's the plain loops.
 */
export interface WasmExports {
  readonly memory: WebAssembly.Memory;
  heap_alloc(bytes: number): number;
  heap_free(ptr: number): void;
  gemm_nn_f64: Gemm;
  gemm_tn_f64: GemmStrided;
  gemm_nt_f64: Gemm;
  gemm_pn_f64: GemmStrided;
  gemm_nn_f32: Gemm;
  gemm_tn_f32: GemmStrided;
  gemm_nt_f32: Gemm;
  gemm_pn_f32: GemmStrided;
  pack_panels_f64(panels: number, a: number, m: number, k: number): void;
  pack_panels_f32(panels: number, a: number, m: number, k: number): void;
  relu_forward_f64(out: number, h: number, len: number): void;
  relu_backward_f64(grad: number, h: number, len: number): void;
  relu_forward_f32(out: number, h: number, len: number): void;
  relu_backward_f32(grad: number, h: number, len: number): void;
  sse_loss_grad_f64(grad: number, pred: number, y: number, len: number): number;
  sse_loss_grad_f32(grad: number, pred: number, y: number, len: number): number;
  sgd_f64(w: number, g: number, lr: number, len: number): void;
  sgd_f32(w: number, g: number, lr: number, len: number): void;
  sgd_check_f64(w: number, g: number, lr: number, len: number): number;
  sgd_check_f32(w: number, g: number, lr: number, len: number): number;
  sgd_into_checked_f64(out: number, w: number, g: number, lr: number, len: number): number;
  sgd_into_checked_f32(out: number, w: number, g: number, lr: number, len: number): number;
  gemm_pn_acc_f64: GemmAcc;
  gemm_pn_acc_f32: GemmAcc;
  gemm_nt_mask_f64: GemmMask;
  gemm_nt_mask_f32: GemmMask;
  accumulate_f64(out: number, a: number, len: number): void;
  accumulate_f32(out: number, a: number, len: number): void;
  copy_relu_forward_f64(h: number, out: number, src: number, len: number): void;
  copy_relu_forward_f32(h: number, out: number, src: number, len: number): void;
  /** The next chunk of a threaded job for thread t, or −1 (assembly/threads.ts); counters is a byte address. */
  take_chunk(counters: number, chunks: number, t: number, threads: number): number;
  /** What the build was compiled with (assembly/features.ts): bit 0 SIMD, bit 1 relaxed SIMD, bit 2 threads. */
  build_features(): number;
}

/** Every function a build must export: a module lacking one is not one of ours. */
export const EXPORTED_FUNCTIONS = [
  "heap_alloc", "heap_free", "take_chunk", "build_features",
  ...(["f64", "f32"] as const).flatMap((t) =>
    ["gemm_nn", "gemm_tn", "gemm_nt", "gemm_pn", "pack_panels", "relu_forward", "relu_backward", "sse_loss_grad", "sgd", "sgd_check", "sgd_into_checked", "accumulate", "copy_relu_forward", "gemm_pn_acc", "gemm_nt_mask"].map((k) => `${k}_${t}`),
  ),
] as const;

/** The features (build_features) each build is compiled with. */
export const BUILD_FEATURES: Readonly<Record<WasmBuild, number>> = { scalar: 0, simd: 1, fma: 3, threads: 5, "threads-fma": 7 };

/** A build, instantiated: its exports, its compiled module (threads start workers from it) and its memory. */
export interface LoadedBuild {
  readonly build: WasmBuild;
  readonly exports: WasmExports;
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
}
