import { TwoLayerError } from "./errors.js";
import { jsKernels } from "./js-kernels.js";
import type { DType, Kernels } from "./kernels.js";
import { loadWasm, simdSupported, type WasmBuild, type WasmExports, type WasmSource } from "./loader.js";
import { jsSpace, type Space } from "./memory.js";
import { wasmKernels, wasmSpace } from "./wasm-kernels.js";
import { shippedWasm } from "./wasm-files.js";

/** `"wasm"`: AssemblyScript kernels (SIMD where the engine has it); `"js"`: the plain TypeScript ones. */
export type Backend = "wasm" | "js";

export interface InitOptions {
  /** `"auto"` (default): SIMD where the engine validates it, else the scalar build; `true`/`false` force one. */
  simd?: boolean | "auto";
  /** Where to load each build from instead of the shipped files (URL, bytes, Response or compiled Module). */
  wasm?: Partial<Record<WasmBuild, WasmSource>>;
}

/** What a network computes with and where its memory lives. */
export interface Engine {
  readonly kernels: Kernels;
  /** A Space for one more arena. */
  space(): Space;
}

const builds = new Map<WasmBuild, Promise<WasmExports>>();
const sources: Partial<Record<WasmBuild, WasmSource>> = {};

/** The build `simd` asks for, refusing SIMD where the engine lacks it. */
export function chooseBuild(simd: boolean | "auto" = "auto"): WasmBuild {
  if (simd === "auto") return simdSupported() ? "simd" : "scalar";
  if (simd && !simdSupported()) {
    throw new TwoLayerError(
      "WASM_UNAVAILABLE",
      'simd: true was asked for but this engine does not support WebAssembly SIMD; use simd: "auto" or false',
    );
  }
  return simd ? "simd" : "scalar";
}

/** @internal The loaded (or loading) exports of a build, as networks use them. */
export function build(which: WasmBuild): Promise<WasmExports> {
  let loading = builds.get(which);
  if (!loading) {
    loading = loadWasm(which, sources[which] ?? shippedWasm(which));
    builds.set(which, loading);
    loading.catch(() => builds.delete(which)); // a failed load may be retried with another source
  }
  return loading;
}

/**
 * Loads the WebAssembly build the wasm backend will use (optional: `train` and `TwoLayerNet.create`
 * load it on first use). Call it first where the shipped file cannot be fetched or compiled — for
 * example in Cloudflare Workers, pass the imported module: `init({ wasm: { simd: module } })`.
 * Returns which build is ready.
 */
export async function init(options: InitOptions = {}): Promise<{ build: WasmBuild }> {
  for (const [which, source] of Object.entries(options.wasm ?? {}) as [WasmBuild, WasmSource][]) {
    if (source !== undefined && sources[which] !== source) {
      sources[which] = source;
      builds.delete(which);
    }
  }
  const which = chooseBuild(options.simd);
  await build(which);
  return { build: which };
}

/** The kernels and memory for a backend and dtype, loading the wasm build on first use. */
export async function engine(backend: Backend, dtype: DType, simd: boolean | "auto" = "auto"): Promise<Engine> {
  if (backend === "js") return { kernels: jsKernels(dtype), space: jsSpace };
  const which = chooseBuild(simd);
  const wasm = await build(which);
  const space = wasmSpace(wasm);
  return { kernels: wasmKernels(wasm, which, dtype), space: () => space };
}
