// Shared test helpers: wasm builds loaded once, guarded buffers in linear memory, a seeded source of
// test values, and a mixed-tolerance comparison whose failure names the index, both values and shape.
import { expect } from "vitest";
import type { Block, DType, FloatArray, Kernels } from "../src/kernels.js";
import { BUILD_FILES, type WasmBuild, type WasmExports } from "../src/builds/builds.js";
import { relaxedSimdSupported } from "../src/builds/features.js";
import { loadBuild } from "../src/builds/load.js";
import { defaultWasmUrl } from "../src/builds/source.js";
import { NumpyRandomState } from "../src/numpy/random-state.js";
import { wasmKernels } from "../src/wasm-kernels.js";

export const BUILDS: WasmBuild[] = ["simd", "scalar", "fma", "threads", "threads-fma"];
/**
 * The debug builds (asconfig.json's *-debug targets, in build/debug/, never shipped): the simd and
 * scalar builds with AssemblyScript's asserts on, so a call breaking a kernel's contract aborts.
 */
export const DEBUG_BUILDS = ["simd-debug", "scalar-debug"] as const;
/** Every build the kernel tests run on. */
export type TestBuild = WasmBuild | (typeof DEBUG_BUILDS)[number];
/** The shipped build a debug build is the asserting twin of (the build itself for the others). */
export const releaseOf = (build: TestBuild): WasmBuild => (build === "simd-debug" ? "simd" : build === "scalar-debug" ? "scalar" : build);
/** Builds whose products are bit-identical to the reference in f64 (no fused multiply-add). */
export const exact = (build: TestBuild): boolean => !build.includes("fma");
export const DTYPES: DType[] = ["f64", "f32"];

/** Where a debug build's file is (the shipped builds load from their default URL). */
export function debugWasmUrl(build: (typeof DEBUG_BUILDS)[number]): URL {
  return new URL(`../build/debug/${BUILD_FILES[releaseOf(build)]}`, import.meta.url);
}

const loaded = new Map<TestBuild, Promise<WasmExports>>();
export function wasm(build: TestBuild): Promise<WasmExports> {
  if (!loaded.has(build)) {
    // The FMA builds need relaxed SIMD, which Node 20 enables only once asked (see builds/features.ts).
    const ready = build.includes("fma") ? relaxedSimdSupported() : Promise.resolve(true);
    const release = releaseOf(build);
    const source = build === "simd-debug" || build === "scalar-debug" ? debugWasmUrl(build) : defaultWasmUrl(release);
    loaded.set(build, ready.then(async () => (await loadBuild(release, source)).exports));
  }
  return loaded.get(build)!;
}

export async function kernelsFor(build: TestBuild, dtype: DType): Promise<Kernels> {
  return wasmKernels(await wasm(build), dtype);
}

/** Elements of guard placed before and after every buffer, filled with GUARD. */
const GUARD_ELEMENTS = 8;
const GUARD = -123456.75; // exactly representable in f32 and f64, and no kernel result here

/** A block in wasm memory with guard elements on both sides. */
export interface GuardedBlock extends Block {
  /** Throws if a kernel wrote into the guards. */
  checkGuards(label: string): void;
  free(): void;
}

export function guardedBlock(wasm: WasmExports, dtype: DType, values: ArrayLike<number>): GuardedBlock {
  const bytes = dtype === "f64" ? 8 : 4;
  const Type = dtype === "f64" ? Float64Array : Float32Array;
  const length = values.length;
  const base = wasm.heap_alloc((length + 2 * GUARD_ELEMENTS) * bytes) >>> 0;
  const whole = () => new Type(wasm.memory.buffer, base, length + 2 * GUARD_ELEMENTS);
  whole().fill(GUARD);
  const offset = base + GUARD_ELEMENTS * bytes;
  const block: GuardedBlock = {
    offset,
    length,
    get array(): FloatArray {
      return new Type(wasm.memory.buffer, offset, length);
    },
    checkGuards(label) {
      const all = whole();
      for (let g = 0; g < GUARD_ELEMENTS; g++) {
        const before = all[g];
        const after = all[GUARD_ELEMENTS + length + g];
        if (before !== GUARD || after !== GUARD) {
          throw new Error(`${label}: wrote outside its buffer (guard ${g}: before ${before}, after ${after})`);
        }
      }
    },
    free: () => wasm.heap_free(base),
  };
  block.array.set(values);
  return block;
}

/** Test values: numpy's randn for a seed, scaled, as plain numbers (rounded to f32 if asked). */
export function randomValues(seed: number, length: number, dtype: DType = "f64", scale = 1): number[] {
  const random = new NumpyRandomState(seed);
  const out: number[] = new Array(length);
  for (let i = 0; i < length; i++) out[i] = dtype === "f32" ? Math.fround(scale * random.gauss()) : scale * random.gauss();
  return out;
}

export const EPSILON: Record<DType, number> = { f64: 2 ** -53, f32: 2 ** -24 };

/**
 * Expects |got[i] − want[i]| ≤ tolerance[i] for every i (and NaN where want is NaN), naming the first
 * index that fails with both values and the shape.
 */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tolerance: (i: number) => number, shape: string): void {
  expect(got.length, `length for ${shape}`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    const ok = Number.isNaN(w) ? Number.isNaN(g) : Math.abs(g - w) <= tolerance(i);
    if (!ok) {
      expect.fail(`${shape}: index ${i}: got ${g}, want ${w} (|diff| ${Math.abs(g - w)} > tolerance ${tolerance(i)})`);
    }
  }
}

/** Expects the same bits (Object.is: distinguishes −0 and +0, NaN equals NaN), naming the first difference. */
export function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, shape: string): void {
  expect(got.length, `length for ${shape}`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`${shape}: index ${i}: got ${got[i]}, want ${want[i]} (bit for bit)`);
  }
}

/** Expects every loss within `rel` relative of numpy's, naming the first iteration that is not. */
export function expectTrajectory(got: Float64Array, want: number[], rel: number, label: string): void {
  expect(got.length, label).toBe(want.length);
  for (let t = 0; t < want.length; t++) {
    const error = Math.abs(got[t] - want[t]) / Math.abs(want[t]);
    if (!(error <= rel)) expect.fail(`${label}: iteration ${t}: got ${got[t]}, numpy ${want[t]}, relative error ${error} > ${rel}`);
  }
}
