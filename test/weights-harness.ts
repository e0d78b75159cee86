// Helpers of the weights and predict tests: the numpy-made weights fixtures (test/fixtures/files/
// weights/, made by scripts/make-file-fixtures.py with the facts in weights.json), exact bits of
// arrays, and a typed-error expectation.
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { TwoLayerError, TwoLayerNet, type NetOptions } from "../src/index.js";

export const WEIGHTS = new URL("./fixtures/files/weights/", import.meta.url);

/** The facts scripts/make-file-fixtures.py recorded for each weights fixture. */
export const SPEC = JSON.parse(readFileSync(new URL("weights.json", WEIGHTS), "utf8")) as {
  numpy: string;
  files: Record<string, { error?: string[]; dtype?: "f64" | "f32"; sizes?: [number, number, number]; loss_after?: number }>;
};

/** A weights fixture's bytes. */
export function weightsFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, WEIGHTS)));
}

/** The bytes of a float array as hex, for bit-for-bit comparison (NaN payloads and −0 included). */
export function hex(a: Float64Array | Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");
}

/** Expects `run` to throw (or reject with) a TwoLayerError of `code` whose message matches every pattern. */
export async function expectError(run: Promise<unknown> | (() => unknown), code: string, ...messages: (RegExp | string)[]): Promise<TwoLayerError> {
  let error: unknown;
  try {
    await (typeof run === "function" ? run() : run);
  } catch (e) {
    error = e;
  }
  expect(error, `expected a TwoLayerError ${code}`).toBeInstanceOf(TwoLayerError);
  const e = error as TwoLayerError;
  expect(e.code, e.message).toBe(code);
  for (const m of messages) {
    if (typeof m === "string") expect(e.message).toContain(m);
    else expect(e.message).toMatch(m);
  }
  return e;
}

/** A small network of odd sizes (SIMD tails everywhere), trained a few steps so its weights are its own. */
export async function trainedSmall(options: NetOptions = {}): Promise<TwoLayerNet> {
  const net = await TwoLayerNet.create({ n: 5, dIn: 7, hidden: 3, dOut: 2, seed: 1, ...options });
  for (let t = 0; t < 10; t++) net.step(1e-3);
  return net;
}
