import { TwoLayerError } from "./errors.js";
import { jsKernels } from "./js-kernels.js";
import { BYTES, type Block, type DType, type FloatArray, type Kernels } from "./kernels.js";
import { loadBuild, relaxedSimdFlagSet, relaxedSimdSupported, simdSupported, type LoadedBuild, type WasmBuild, type WasmSource } from "./loader.js";
import { jsSpace, type Space } from "./memory.js";
import { autoThreads, partialCount, threadedKernels, threadsUnavailable, ThreadPool } from "./threads.js";
import { wasmKernels, wasmSpace } from "./wasm-kernels.js";
import { shippedWasm } from "./wasm-files.js";

/** `"wasm"`: AssemblyScript kernels (SIMD where the engine has it); `"js"`: the plain TypeScript ones. */
export type Backend = "wasm" | "js";

export interface InitOptions {
  /** `"auto"` (default): SIMD where the engine validates it, else the scalar build; `true`/`false` force one. */
  simd?: boolean | "auto";
  /** Also load the FMA build (relaxed SIMD), where the engine supports it. */
  fma?: boolean;
  /** Also load the threaded build (more than 1, or "auto"), where shared memory can be had. */
  threads?: number | "auto";
  /**
   * Where to load each build from instead of the shipped files (URL, bytes, Response or compiled
   * Module): `simd`, `scalar`, `fma`, `threads`, `"threads-fma"`.
   */
  wasm?: Partial<Record<WasmBuild, WasmSource>>;
}

/** What a network asks of its engine (validated options). */
export interface EngineOptions {
  backend: Backend;
  dtype: DType;
  simd: boolean | "auto";
  fma: boolean;
  threads: number | "auto";
  /** The network's N and H: threads reserve room for partial products of h (N×H) per extra thread. */
  n: number;
  hidden: number;
}

/** What a network computes with and where its memory lives. */
export interface Engine {
  readonly kernels: Kernels;
  /** A Space for one more arena. */
  space(): Space;
  /** Threads the kernels run on (1 unless `threads` asked for more and they could be had). */
  readonly threadsUsed: number;
  /** Whether the matrix products use fused multiply-add (the FMA build). */
  readonly fmaUsed: boolean;
  /** What was asked for but could not be had here, and why (empty when everything was). */
  readonly fallbacks: readonly string[];
  /** Ends the engine's workers and returns its scratch memory (networks call it from dispose()). */
  dispose(): void;
}

const builds = new Map<WasmBuild, Promise<LoadedBuild>>();
const sources: Partial<Record<WasmBuild, WasmSource>> = {};

/** The build `simd` asks for, refusing SIMD where the engine lacks it. */
export function chooseBuild(simd: boolean | "auto" = "auto"): "simd" | "scalar" {
  if (simd === "auto") return simdSupported() ? "simd" : "scalar";
  if (simd && !simdSupported()) {
    throw new TwoLayerError(
      "WASM_UNAVAILABLE",
      'simd: true was asked for but this engine does not support WebAssembly SIMD; use simd: "auto" or false',
    );
  }
  return simd ? "simd" : "scalar";
}

/** @internal The loaded (or loading) build, as networks use it. */
export function build(which: WasmBuild): Promise<LoadedBuild> {
  let loading = builds.get(which);
  if (!loading) {
    loading = loadBuild(which, sources[which] ?? shippedWasm(which));
    builds.set(which, loading);
    loading.catch(() => builds.delete(which)); // a failed load may be retried with another source
  }
  return loading;
}

/**
 * Loads the WebAssembly builds the wasm backend will use (optional: `train` and `TwoLayerNet.create`
 * load them on first use). Call it first where the shipped files cannot be fetched or compiled — for
 * example in Cloudflare Workers, pass the imported modules: `init({ wasm: { simd: module } })`.
 * Returns the single-thread build that is ready, and the threaded one if `threads` asked for it and
 * this runtime can run it.
 */
export async function init(options: InitOptions = {}): Promise<{ build: WasmBuild; threaded?: WasmBuild }> {
  for (const [which, source] of Object.entries(options.wasm ?? {}) as [WasmBuild, WasmSource][]) {
    if (source !== undefined && sources[which] !== source) {
      sources[which] = source;
      builds.delete(which);
    }
  }
  const simd = chooseBuild(options.simd) === "simd";
  const fma = simd && options.fma === true && (await relaxedSimdSupported());
  const single: WasmBuild = fma ? "fma" : simd ? "simd" : "scalar";
  await build(single);
  const threads = options.threads === "auto" ? await autoThreads() : options.threads ?? 1;
  if (simd && threads > 1 && (await threadsUnavailable()) === undefined) {
    const threaded: WasmBuild = fma ? "threads-fma" : "threads";
    await build(threaded);
    return { build: single, threaded };
  }
  return { build: single };
}

/** A block of scratch memory the engine reserved itself (only its offset is used by the kernels). */
function scratchBlock(space: Space, dtype: DType, offset: number, length: number): Block {
  const Type = dtype === "f64" ? Float64Array : Float32Array;
  return { offset, length, get array(): FloatArray { return new Type(space.buffer() as ArrayBuffer, offset, length); } };
}

/**
 * The kernels and memory for a network with these options, loading the wasm build on first use.
 * `fma` and `threads` fall back (to no FMA, to one thread) where the engine cannot give them, and
 * `fallbacks` says so: asking for speed never makes creating a network fail.
 */
export async function engine(options: EngineOptions): Promise<Engine> {
  const { backend, dtype } = options;
  if (backend === "js") {
    return { kernels: jsKernels(dtype), space: jsSpace, threadsUsed: 1, fmaUsed: false, fallbacks: [], dispose() {} };
  }
  const fallbacks: string[] = [];
  const simd = chooseBuild(options.simd) === "simd";
  let fma = false;
  if (options.fma) {
    if (!simd) fallbacks.push("fma: true needs WebAssembly SIMD, which this engine lacks; ran without FMA");
    else if (await relaxedSimdSupported()) fma = true;
    else {
      const flag = relaxedSimdFlagSet(); // Node 20: we turned V8's flag on, and it was not enough
      fallbacks.push(`fma: true, but this engine does not support relaxed SIMD${flag ? ` (not even with V8's ${flag}, which we set)` : ""}; ran without FMA`);
    }
  }
  const wanted = options.threads === "auto" ? await autoThreads() : options.threads;
  if (wanted > 1) {
    let why = simd ? await threadsUnavailable() : "threads need WebAssembly SIMD, which this engine lacks";
    if (why === undefined) {
      try {
        return await threaded(await build(fma ? "threads-fma" : "threads"), dtype, wanted, options, fma, fallbacks);
      } catch (error) {
        why = error instanceof Error ? error.message : String(error);
      }
    }
    fallbacks.push(`threads: ${options.threads === "auto" ? `"auto" (${wanted})` : wanted} asked for, ran on 1 thread: ${why}`);
  }
  const which: WasmBuild = fma ? "fma" : simd ? "simd" : "scalar";
  const loaded = await build(which);
  const space = wasmSpace(loaded.exports);
  return { kernels: wasmKernels(loaded.exports, which, dtype), space: () => space, threadsUsed: 1, fmaUsed: fma, fallbacks, dispose() {} };
}

async function threaded(loaded: LoadedBuild, dtype: DType, threads: number, options: EngineOptions, fma: boolean, fallbacks: string[]): Promise<Engine> {
  const space = wasmSpace(loaded.exports);
  const capacity = options.n * options.hidden;
  const partialBytes = Math.ceil((capacity * BYTES[dtype]) / 16) * 16;
  const pool = await ThreadPool.start(loaded, threads, space);
  const partials: Block[] = [];
  try {
    for (let i = 0; i < partialCount(threads); i++) partials.push(scratchBlock(space, dtype, space.reserve(partialBytes), capacity));
  } catch (cause) {
    pool.close();
    for (const block of partials) space.release(block.offset, partialBytes);
    throw cause;
  }
  let disposed = false;
  return {
    kernels: threadedKernels(loaded, dtype, pool, partials, capacity),
    space: () => space,
    threadsUsed: threads,
    fmaUsed: fma,
    fallbacks,
    dispose() {
      if (disposed) return;
      disposed = true;
      pool.close();
      for (const block of partials) space.release(block.offset, partialBytes);
    },
  };
}
