// What one network computes with: its kernels (the plain TypeScript ones, a wasm build's, or a
// threaded build's on a pool of workers), the memory its arena lives in, and what that means for the
// run (RunInfo). Made from the validated options; the builds themselves are chosen in builds/choose.ts.
import type { WasmExports } from "./builds/builds.js";
import { chooseBuilds } from "./builds/choose.js";
import { loadedBuild } from "./builds/load.js";
import { jsGramKernels } from "./js-gram-kernels.js";
import { jsKernels } from "./js-kernels.js";
import type { DType, NetKernels } from "./kernels.js";
import { jsSpace, type Space } from "./memory.js";
import type { Backend } from "./options.js";
import type { RunInfo } from "./run-info.js";
import { ThreadPool } from "./threads/pool.js";
import { threadedKernels } from "./threads/threaded-kernels.js";
import { wasmKernels } from "./wasm-kernels.js";
import { wasmSpace } from "./wasm-space.js";

/** What a network asks of its compute (validated options). */
export interface ComputeOptions {
  backend: Backend;
  dtype: DType;
  simd: boolean | "auto";
  fma: boolean;
  threads: number | "auto";
}

/** The kernels a network runs, the memory for its arena, and what ran. */
export interface Compute extends Omit<RunInfo, "algorithmUsed"> {
  readonly kernels: NetKernels;
  /** Where the network's arena is reserved. */
  readonly space: Space;
  /**
   * Where short-lived scratch next to the arena is reserved (predict's): the same wasm memory, whose
   * addresses the kernels take; for the js backend a buffer of its own, since its space holds one arena.
   */
  scratchSpace(): Space;
  /** Ends the compute's workers and returns their memory (networks call it from dispose()). Idempotent. */
  dispose(): void;
  /** With threads: the pool and the threaded build's exports (the Gram form's parts run on them). */
  readonly threaded?: { readonly pool: ThreadPool; readonly exports: WasmExports };
}

/**
 * The compute for a network with these options, loading the wasm build on first use. `fma` and
 * `threads` fall back (to no FMA, to one thread) where the engine cannot give them, and `fallbacks`
 * says so: asking for speed never makes creating a network fail.
 */
export async function openCompute(options: ComputeOptions): Promise<Compute> {
  const { dtype } = options;
  if (options.backend === "js") {
    return { kernels: { ...jsKernels(), ...jsGramKernels() }, space: jsSpace(), scratchSpace: jsSpace, backend: "js", dtype, threadsUsed: 1, fmaUsed: false, fallbacks: [], dispose() {} };
  }
  const choice = await chooseBuilds(options);
  const fallbacks = [...choice.fallbacks];
  if (choice.threaded !== undefined) {
    try {
      const loaded = await loadedBuild(choice.threaded);
      const pool = await ThreadPool.start(loaded, choice.threads);
      const space = wasmSpace(loaded.exports);
      return {
        kernels: threadedKernels(loaded, dtype, pool),
        space,
        scratchSpace: () => space,
        backend: "wasm-simd",
        dtype,
        threadsUsed: choice.threads,
        fmaUsed: choice.fma,
        fallbacks,
        dispose: () => pool.close(),
        threaded: { pool, exports: loaded.exports },
      };
    } catch (error) {
      fallbacks.push(choice.threadsFallback(error instanceof Error ? error.message : String(error)));
    }
  }
  const loaded = await loadedBuild(choice.single);
  const space = wasmSpace(loaded.exports);
  return {
    kernels: wasmKernels(loaded.exports, dtype),
    space,
    scratchSpace: () => space,
    backend: choice.single === "scalar" ? "wasm-scalar" : "wasm-simd",
    dtype,
    threadsUsed: 1,
    fmaUsed: choice.fma,
    fallbacks,
    dispose() {},
  };
}
