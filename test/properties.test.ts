// Property tests (fast-check): whatever options or arrays a caller throws at train(), valid ones train
// and match the plain TypeScript backend, invalid ones raise a TwoLayerError, and nothing else happens.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { train, TwoLayerError, type TrainOptions } from "../src/index.js";

// Values for each option: valid ones (small, so thousands of runs stay quick) and invalid ones.
const validSize = fc.integer({ min: 1, max: 6 });
const invalidSize = fc.oneof(
  fc.constantFrom(0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, "3", null, true, [], {}, 3n),
  fc.integer({ max: 0 }),
  fc.double({ noInteger: true }),
);
const OPTIONS = {
  n: [validSize, invalidSize],
  dIn: [validSize, invalidSize],
  hidden: [validSize, invalidSize],
  dOut: [validSize, invalidSize],
  seed: [fc.oneof(fc.constantFrom(0, 2 ** 32 - 1), fc.double({ min: 0, max: 2 ** 32 - 1, noNaN: true }).map(Math.floor)), fc.oneof(fc.constantFrom(2 ** 32, -1, 0.5, NaN, "0", null), fc.double({ min: 2 ** 32, max: 2 ** 60, noNaN: true }).map(Math.floor))],
  iterations: [fc.integer({ min: 0, max: 3 }), fc.oneof(fc.constantFrom(-1, 1.5, NaN, Infinity, "2", null), fc.integer({ max: -1 }))],
  learningRate: [fc.oneof(fc.constantFrom(0, 1e-6, 1e-3), fc.double({ min: 0, max: 1e-2, noNaN: true })), fc.oneof(fc.constantFrom(NaN, Infinity, -Infinity, -1e-6, "1e-6", null), fc.double({ max: -Number.MIN_VALUE, noNaN: true }))],
  dtype: [fc.constantFrom("f64", "f32"), fc.constantFrom("f16", "float64", "", 64, null)],
  backend: [fc.constantFrom("wasm", "js"), fc.constantFrom("gpu", "WASM", "", 0, null)],
  simd: [fc.constantFrom("auto", true, false), fc.constantFrom("on", 1, 0, null)],
  onNonFinite: [fc.constantFrom("stop", "continue"), fc.constantFrom("ignore", true, null)],
} as const;
type Name = keyof typeof OPTIONS;
const NAMES = Object.keys(OPTIONS) as Name[];

// An options object and whether an independent judge (this test, not the package) deems it valid.
const optionsCase = fc
  .record(
    Object.fromEntries(NAMES.map((name) => [name, fc.option(fc.integer({ min: 0, max: 19 }).map((v) => v < 17), { nil: undefined, freq: 3 })])) as Record<Name, fc.Arbitrary<boolean | undefined>>,
  )
  .chain((choice) => {
    const parts = NAMES.filter((name) => choice[name] !== undefined).map((name) => {
      const valid = choice[name]!;
      return fc.tuple(fc.constant(name), fc.constant(valid), OPTIONS[name][valid ? 0 : 1] as fc.Arbitrary<unknown>);
    });
    return fc.tuple(fc.tuple(...parts), fc.oneof({ arbitrary: fc.constant(undefined), weight: 9 }, { arbitrary: fc.constantFrom("learningrate", "hiden", "Dout", "epochs", "lr", "__proto__x"), weight: 1 }));
  })
  .map(([parts, unknownKey]) => {
    const options: Record<string, unknown> = {};
    let valid = true;
    for (const [name, isValid, value] of parts) {
      options[name] = value;
      valid &&= isValid;
    }
    if (unknownKey !== undefined) {
      options[unknownKey] = 1;
      valid = false;
    }
    return { options, valid };
  });

const SMALL = { n: 2, dIn: 3, hidden: 4, dOut: 2 };

async function outcome(options: unknown): Promise<{ ok: true; losses: Float64Array; status: string } | { ok: false; error: unknown }> {
  try {
    const result = await train(options as TrainOptions);
    return { ok: true, losses: result.losses, status: result.status };
  } catch (error) {
    return { ok: false, error };
  }
}

function expectLossesClose(got: Float64Array, want: Float64Array, label: string) {
  expect(got.length, label).toBe(want.length);
  got.forEach((loss, t) => {
    const ok = Object.is(loss, want[t]) || Math.abs(loss - want[t]) <= 1e-4 * Math.abs(want[t]) + 1e-9;
    if (!ok) expect.fail(`${label}: iteration ${t}: ${loss} vs js ${want[t]}`);
  });
}

describe("train() under random options", () => {
  it("valid options train and match the js backend; invalid ones raise a TwoLayerError; nothing else", async () => {
    const seen = { valid: 0, invalid: 0 };
    await fc.assert(
      fc.asyncProperty(optionsCase, async ({ options, valid }) => {
        // Keep every valid network small: sizes not drawn are the tutorial's, which we shrink here.
        const sized = { ...SMALL, iterations: 2, ...options };
        const result = await outcome(sized);
        seen[valid ? "valid" : "invalid"]++;
        if (!valid) {
          expect(result.ok, `accepted invalid options ${fc.stringify(sized)}`).toBe(false);
          if (!result.ok) {
            expect(result.error, String(result.error)).toBeInstanceOf(TwoLayerError);
            expect(["INVALID_OPTION", "UNKNOWN_OPTION"]).toContain((result.error as TwoLayerError).code);
          }
          return;
        }
        if (!result.ok) throw result.error;
        const reference = await outcome({ ...sized, backend: "js", simd: "auto" });
        if (!reference.ok) throw reference.error;
        expect(result.status).toBe(reference.status);
        expectLossesClose(result.losses, reference.losses, fc.stringify(sized));
      }),
      { numRuns: 2000 },
    );
    // Both kinds were really exercised (fast-check also counts the shrinking runs of a failure).
    expect(seen.valid).toBeGreaterThan(200);
    expect(seen.invalid).toBeGreaterThan(200);
  });
});

describe("train() under random user arrays", () => {
  const arrayCase = fc.record({
    name: fc.constantFrom("x", "y", "w1", "w2"),
    kind: fc.constantFrom("Float64Array", "Float32Array", "Array"),
    lengthDelta: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: -3, max: 3 })),
    poison: fc.option(fc.constantFrom(NaN, Infinity, -Infinity, "1", null, undefined), { nil: "none" as const, freq: 2 }),
    allowNonFinite: fc.boolean(),
    values: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 16, maxLength: 16 }),
  });
  const LENGTH = { x: 2 * 3, y: 2 * 2, w1: 3 * 4, w2: 4 * 2 } as const;

  it("right arrays train (and match js); wrong type, length or values raise INVALID_ARRAY", async () => {
    const seen = { valid: 0, invalid: 0 };
    await fc.assert(
      fc.asyncProperty(arrayCase, async ({ name, kind, lengthDelta, poison, allowNonFinite, values }) => {
        const length = Math.max(0, LENGTH[name] + lengthDelta);
        const plain: unknown[] = values.slice(0, length);
        while (plain.length < length) plain.push(0.5);
        if (poison !== "none" && length > 0) plain[length - 1] = poison;
        const array = kind === "Array" ? plain : kind === "Float64Array" ? Float64Array.from(plain as number[]) : Float32Array.from(plain as number[]);
        // Typed arrays turn "1", null and undefined into numbers (1, 0, NaN): judge what they hold.
        const held = Array.from(array as ArrayLike<unknown>);
        const finite = held.every((v) => typeof v === "number" && Number.isFinite(v));
        const valid = lengthDelta === 0 && held.every((v) => typeof v === "number") && (finite || allowNonFinite);
        const options = { ...SMALL, iterations: 2, learningRate: 1e-3, [name]: array, allowNonFinite };
        const result = await outcome(options);
        seen[valid ? "valid" : "invalid"]++;
        if (!valid) {
          expect(result.ok, `accepted ${name} = ${kind}(${held.join()}) with allowNonFinite ${allowNonFinite}`).toBe(false);
          if (!result.ok) {
            expect(result.error).toBeInstanceOf(TwoLayerError);
            expect((result.error as TwoLayerError).code).toBe("INVALID_ARRAY");
          }
          return;
        }
        if (!result.ok) throw result.error;
        const reference = await outcome({ ...options, backend: "js" });
        if (!reference.ok) throw reference.error;
        expectLossesClose(result.losses, reference.losses, `${name} ${kind}`);
      }),
      { numRuns: 1500 },
    );
    expect(seen.valid).toBeGreaterThan(200);
    expect(seen.invalid).toBeGreaterThan(200);
  });
});
