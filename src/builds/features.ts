// What this engine's WebAssembly can do: SIMD, relaxed SIMD. Probed with the smallest modules that
// use each feature (an engine without it refuses to validate them), as wasm-feature-detect does.
import { importNode, RUNTIME } from "../runtime.js";

// The smallest module using a v128 instruction: an engine without SIMD refuses to validate it.
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

/** The V8 flag that turns relaxed SIMD on in Node 20 (Node 21's V8 and later have it on by default). */
const RELAXED_SIMD_FLAG = "--experimental-wasm-relaxed-simd";

let relaxedFlagTried = false;
let relaxedFlagSet = false;

/**
 * Whether this engine runs relaxed SIMD (the `fma` builds). Node 20's V8 has it behind
 * `--experimental-wasm-relaxed-simd`, which Node refuses in NODE_OPTIONS; setting it from inside the
 * process with `v8.setFlagsFromString` before compiling works, so on Node 20 (and only there: later
 * versions have it on already) we set it once, here; it only adds a feature.
 */
export async function relaxedSimdSupported(): Promise<boolean> {
  if (validates(RELAXED_SIMD_PROBE)) return true;
  if (!relaxedFlagTried && RUNTIME.name === "node" && (RUNTIME.nodeMajor ?? 0) < 21) {
    relaxedFlagTried = true;
    try {
      const v8 = await importNode<typeof import("node:v8")>("node:v8");
      v8.setFlagsFromString(RELAXED_SIMD_FLAG);
      relaxedFlagSet = true;
    } catch {
      // flags are locked: relaxed SIMD stays unavailable
    }
  }
  return validates(RELAXED_SIMD_PROBE);
}

/** The V8 flag relaxedSimdSupported set (on Node 20), for messages; undefined where it set none. */
export function relaxedSimdFlagSet(): string | undefined {
  return relaxedFlagSet ? RELAXED_SIMD_FLAG : undefined;
}
