// Which builds a network (or init) uses, from the validated options: the one place that turns
// `simd`, `fma` and `threads` into builds, and says what could not be had and why.
import { TwoLayerError } from "../errors.js";
import { runtime, threadsUnavailable } from "../runtime.js";
import type { WasmBuild } from "./builds.js";
import { relaxedSimdFlagSet, relaxedSimdSupported, simdSupported } from "./features.js";

/** The wasm options, validated (options.ts). */
export interface BuildOptions {
  simd: boolean | "auto";
  fma: boolean;
  threads: number | "auto";
}

/** The builds chosen for some options, and what was asked for but cannot be had. */
export interface BuildChoice {
  /** The build that runs on one thread: "fma", "simd" or "scalar". */
  readonly single: WasmBuild;
  /** The threaded build ("threads" or "threads-fma") when more than one thread was asked for and can run here. */
  readonly threaded?: WasmBuild;
  /** How many threads the threaded build would run on (1 without one). */
  readonly threads: number;
  readonly fma: boolean;
  /** One sentence per option that falls back, saying why. */
  readonly fallbacks: readonly string[];
  /** The sentence for `threads` if the threaded build or its workers fail to start after all. */
  threadsFallback(why: string): string;
}

/** The SIMD or the scalar build, as `simd` asks; `true` where the engine lacks SIMD is an error. */
export function chooseSimd(simd: boolean | "auto"): "simd" | "scalar" {
  if (simd === "auto") return simdSupported() ? "simd" : "scalar";
  if (simd && !simdSupported()) {
    throw new TwoLayerError(
      "WASM_UNAVAILABLE",
      'simd: true was asked for but this engine does not support WebAssembly SIMD; use simd: "auto" or false',
    );
  }
  return simd ? "simd" : "scalar";
}

/**
 * The builds for these options. `fma` and `threads` fall back (to no FMA, to one thread) where this
 * engine or runtime cannot give them, and `fallbacks` says so: asking for speed never fails.
 */
export async function chooseBuilds(options: BuildOptions): Promise<BuildChoice> {
  const fallbacks: string[] = [];
  const simd = chooseSimd(options.simd) === "simd";
  let fma = false;
  if (options.fma) {
    if (!simd) fallbacks.push("fma: true needs WebAssembly SIMD, which this engine lacks; ran without FMA");
    else if (await relaxedSimdSupported()) fma = true;
    else {
      const flag = relaxedSimdFlagSet(); // Node 20: we turned V8's flag on, and it was not enough
      fallbacks.push(`fma: true, but this engine does not support relaxed SIMD${flag ? ` (not even with V8's ${flag}, which we set)` : ""}; ran without FMA`);
    }
  }
  const wanted = options.threads === "auto" ? (await runtime()).cores : options.threads;
  const asked = options.threads === "auto" ? `"auto" (${wanted})` : String(wanted);
  const threadsFallback = (why: string) => `threads: ${asked} asked for, ran on 1 thread: ${why}`;
  let threaded: WasmBuild | undefined;
  if (wanted > 1) {
    const why = simd
      ? await threadsUnavailable()
      : options.simd === false
        ? "threads run on the SIMD build, and simd: false was asked for"
        : "threads need WebAssembly SIMD, which this engine lacks";
    if (why === undefined) threaded = fma ? "threads-fma" : "threads";
    else fallbacks.push(threadsFallback(why));
  }
  const single: WasmBuild = fma ? "fma" : simd ? "simd" : "scalar";
  return { single, threaded, threads: threaded ? wanted : 1, fma, fallbacks, threadsFallback };
}
