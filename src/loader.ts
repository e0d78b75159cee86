import { instantiate } from "@assemblyscript/loader";
import { TwoLayerError } from "./errors.js";

/**
 * The builds of assembly/ (one source, built five ways by scripts/build-wasm.mjs):
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
  accumulate_f64(out: number, a: number, len: number): void;
  accumulate_f32(out: number, a: number, len: number): void;
  /** The next chunk of a threaded job for thread t, or −1 (assembly/threads.ts); counters is a byte address. */
  take_chunk(counters: number, chunks: number, t: number, threads: number): number;
}

/** A build, instantiated: its exports, its compiled module (threads start workers from it) and its memory. */
export interface LoadedBuild {
  readonly build: WasmBuild;
  readonly exports: WasmExports;
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
}

// The smallest module using a v128 instruction (as wasm-feature-detect's simd probe): an engine
// without SIMD refuses to validate it.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253,
  98, 11,
]);

// () -> v128: three v128.const 0, then f64x2.relaxed_madd (0xfd 0x107): only an engine with relaxed
// SIMD validates it.
const RELAXED_SIMD_PROBE: Uint8Array<ArrayBuffer> = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 61, 1, 59, 0,
  ...[0, 1, 2].flatMap(() => [253, 12, ...new Array(16).fill(0)]),
  253, 135, 2, 11,
]);

function validates(probe: Uint8Array<ArrayBuffer>): boolean {
  try {
    return typeof WebAssembly === "object" && WebAssembly.validate(probe);
  } catch {
    return false;
  }
}

/** Whether this engine runs WebAssembly 128-bit SIMD. */
export function simdSupported(): boolean {
  return validates(SIMD_PROBE);
}

function nodeProcess(): { versions?: { node?: string } } | undefined {
  return (globalThis as { process?: { versions?: { node?: string } } }).process;
}

function isNode(): boolean {
  return typeof nodeProcess()?.versions?.node === "string";
}

let relaxedFlagTried = false;

/**
 * Whether this engine runs relaxed SIMD (the `fma` builds). Node 20's V8 has it behind
 * `--experimental-wasm-relaxed-simd`, which Node refuses in NODE_OPTIONS; setting it from inside the
 * process with `v8.setFlagsFromString` before compiling works, so in Node we set it once, here (it
 * only adds a feature; later Node versions have it on already).
 */
export async function relaxedSimdSupported(): Promise<boolean> {
  if (validates(RELAXED_SIMD_PROBE)) return true;
  if (!relaxedFlagTried && isNode() && !("Deno" in globalThis) && !("Bun" in globalThis)) {
    relaxedFlagTried = true;
    try {
      const name = "node:v8";
      const v8 = (await import(/* @vite-ignore */ name)) as typeof import("node:v8");
      v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
    } catch {
      // not Node after all, or flags are locked: relaxed SIMD stays unavailable
    }
  }
  return validates(RELAXED_SIMD_PROBE);
}

/** The shipped file of a build, relative to this module (src/ in the repo, dist/ in the package). */
export function defaultWasmUrl(build: WasmBuild): URL {
  return new URL(`../build/${BUILD_FILES[build]}`, import.meta.url);
}

// Node's fetch cannot read file: URLs, so in Node (and Bun, which sets process.versions.node) we
// read the file ourselves; elsewhere we fetch it.
async function fetchBytes(url: URL): Promise<ArrayBuffer | Response> {
  if (url.protocol === "file:" && isNode()) {
    const fs = "node:fs/promises";
    const { readFile } = (await import(/* @vite-ignore */ fs)) as typeof import("node:fs/promises");
    const bytes = await readFile(url);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  return fetch(url);
}

function isResponse(value: unknown): value is Response {
  return typeof Response === "function" && value instanceof Response;
}

/** Instantiates a build from `source` (default: the shipped file) and returns its exports. */
export async function loadWasm(
  build: WasmBuild,
  source: WasmSource | Promise<WasmSource> = defaultWasmUrl(build),
): Promise<WasmExports> {
  return (await loadBuild(build, source)).exports;
}

/**
 * Instantiates a build from `source` (default: the shipped file) and returns its exports, compiled
 * module and memory. The threaded builds get a new shared memory (1 page, growing to
 * SHARED_MAXIMUM_PAGES), which their workers will share.
 */
export async function loadBuild(
  build: WasmBuild,
  source: WasmSource | Promise<WasmSource> = defaultWasmUrl(build),
): Promise<LoadedBuild> {
  try {
    let input = await source;
    if (typeof input === "string" || input instanceof URL) input = await fetchBytes(new URL(input, import.meta.url));
    // Streaming compilation insists on Content-Type application/wasm; many servers send another.
    if (isResponse(input) && !/^application\/wasm\b/.test(input.headers.get("Content-Type") ?? "")) {
      if (!input.ok) throw new Error(`HTTP ${input.status} ${input.statusText} for ${input.url || "the wasm file"}`);
      input = await input.arrayBuffer();
    }
    const shared = THREADED_BUILDS.includes(build);
    const memory = shared ? new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAXIMUM_PAGES, shared: true }) : undefined;
    const { exports, module } = await instantiate<Record<string, unknown>>(
      input as WebAssembly.Module | BufferSource | Response | PromiseLike<Response>,
      memory ? { env: { memory } } : {},
    );
    const wasm = exports as unknown as WasmExports;
    return { build, exports: wasm, module, memory: memory ?? wasm.memory };
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new TwoLayerError(
      "WASM_UNAVAILABLE",
      `could not load the ${build} WebAssembly build (${why}); pass its file's URL, bytes, a Response or a ` +
        `compiled WebAssembly.Module with init({ wasm: { "${build}": ... } }), or use backend: "js"`,
      { cause },
    );
  }
}
