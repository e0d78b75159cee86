// What a build must be before a network runs on it: one of ours (every export), the one asked for
// (its compiled-in features), and computing right (a tiny product with a known answer). A build handed
// in for the wrong slot — the SIMD build's bytes as the threaded one, which would run on its own
// memory while the workers watch another — is refused here instead of training wrong numbers.
import { BUILD_FEATURES, EXPORTED_FUNCTIONS, type WasmBuild, type WasmExports } from "./builds.js";

const FEATURE_NAMES = ["SIMD", "relaxed SIMD", "threads"];
const describeFeatures = (bits: number) => FEATURE_NAMES.filter((_, i) => bits & (1 << i)).join(", ") || "none";

/** Why `wasm` is not a good `build`, or undefined when it is. */
export function buildProblem(build: WasmBuild, wasm: WasmExports): string | undefined {
  const missing = EXPORTED_FUNCTIONS.filter((name) => typeof (wasm as unknown as Record<string, unknown>)[name] !== "function");
  if (missing.length > 0) return `it is not a twolayer build of this version (it lacks ${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", …" : ""})`;
  const features = wasm.build_features();
  if (features !== BUILD_FEATURES[build]) {
    const other = (Object.keys(BUILD_FEATURES) as WasmBuild[]).find((b) => BUILD_FEATURES[b] === features);
    return `it is ${other ? `the "${other}" build` : "no build of ours"} (features: ${describeFeatures(features)}), not the "${build}" build (features: ${describeFeatures(BUILD_FEATURES[build])})`;
  }
  // C = A·B for A = [1 2; 3 4], B = [5 6; 7 8]: [19 22; 43 50], exact in either dtype and every build.
  const base = wasm.heap_alloc(3 * 32) >>> 0;
  try {
    const m = new Float64Array(wasm.memory.buffer, base, 12);
    m.set([1, 2, 3, 4, 5, 6, 7, 8]);
    wasm.gemm_nn_f64(base + 64, base, base + 32, 2, 2, 2);
    const got = Array.from(new Float64Array(wasm.memory.buffer, base + 64, 4));
    if (got.join() !== "19,22,43,50") return `its matrix product is wrong ([1 2; 3 4]·[5 6; 7 8] gave [${got.join(" ")}], not [19 22 43 50])`;
  } finally {
    wasm.heap_free(base);
  }
  return undefined;
}
