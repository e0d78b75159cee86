import { instantiate } from "@assemblyscript/loader";
import { TwoLayerError } from "./errors.js";

/** The two builds of assembly/: with 128-bit SIMD and without (for engines that lack SIMD). */
export type WasmBuild = "simd" | "scalar";

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

/** The raw exports of a build, as assembly/index.ts declares them (pointers are byte addresses). */
export interface WasmExports {
  readonly memory: WebAssembly.Memory;
  heap_alloc(bytes: number): number;
  heap_free(ptr: number): void;
  gemm_nn_f64(c: number, a: number, b: number, m: number, k: number, n: number): void;
  gemm_tn_f64(c: number, a: number, b: number, m: number, k: number, n: number): void;
  gemm_nt_f64(c: number, a: number, b: number, m: number, k: number, n: number): void;
  gemm_nn_f32(c: number, a: number, b: number, m: number, k: number, n: number): void;
  gemm_tn_f32(c: number, a: number, b: number, m: number, k: number, n: number): void;
  gemm_nt_f32(c: number, a: number, b: number, m: number, k: number, n: number): void;
  relu_forward_f64(out: number, h: number, len: number): void;
  relu_backward_f64(grad: number, h: number, len: number): void;
  relu_forward_f32(out: number, h: number, len: number): void;
  relu_backward_f32(grad: number, h: number, len: number): void;
  sse_loss_grad_f64(grad: number, pred: number, y: number, len: number): number;
  sse_loss_grad_f32(grad: number, pred: number, y: number, len: number): number;
  sgd_f64(w: number, g: number, lr: number, len: number): void;
  sgd_f32(w: number, g: number, lr: number, len: number): void;
}

// The smallest module using a v128 instruction (as wasm-feature-detect's simd probe): an engine
// without SIMD refuses to validate it.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253,
  98, 11,
]);

/** Whether this engine runs WebAssembly 128-bit SIMD. */
export function simdSupported(): boolean {
  try {
    return typeof WebAssembly === "object" && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** The shipped file of a build, relative to this module (src/ in the repo, dist/ in the package). */
export function defaultWasmUrl(build: WasmBuild): URL {
  return new URL(`../build/twolayer.${build}.wasm`, import.meta.url);
}

function isNode(): boolean {
  const process = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof process?.versions?.node === "string";
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
  try {
    let input = await source;
    if (typeof input === "string" || input instanceof URL) input = await fetchBytes(new URL(input, import.meta.url));
    // Streaming compilation insists on Content-Type application/wasm; many servers send another.
    if (isResponse(input) && !/^application\/wasm\b/.test(input.headers.get("Content-Type") ?? "")) {
      if (!input.ok) throw new Error(`HTTP ${input.status} ${input.statusText} for ${input.url || "the wasm file"}`);
      input = await input.arrayBuffer();
    }
    const { exports } = await instantiate<Record<string, unknown>>(
      input as WebAssembly.Module | BufferSource | Response | PromiseLike<Response>,
    );
    return exports as unknown as WasmExports;
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new TwoLayerError(
      "WASM_UNAVAILABLE",
      `could not load the ${build} WebAssembly build (${why}); pass its file's URL, bytes, a Response or a ` +
        `compiled WebAssembly.Module with init({ wasm: { ${build}: ... } }), or use backend: "js"`,
      { cause },
    );
  }
}
