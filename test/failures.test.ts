// Issue 11's principles 1, 3, 4 and 5: every public function refuses a bad argument with a
// TwoLayerError; a failed create leaves nothing behind; numbers that are wrong never look right
// (disposed views read NaN, weights never become non-finite unless asked, a build given for the wrong
// slot is refused); messages say the real cause.
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadBuild, loadedBuild } from "../src/builds/load.js";
import { defaultWasmUrl } from "../src/builds/source.js";
import { flopsPerStep, init, lossPlotSvg, pythonFloat, train, TwoLayerError, TwoLayerNet } from "../src/index.js";
import { MAX_ARENA_BYTES } from "../src/memory.js";

async function errorOf(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("every public function refuses a bad argument with a TwoLayerError", () => {
  it("net.update, net.step, flopsPerStep, TwoLayerNet.bytesFor, pythonFloat, init and lossPlotSvg", async () => {
    const net = await TwoLayerNet.create({ n: 2, dIn: 3, hidden: 4, dOut: 2 });
    const w1 = Array.from(net.w1);
    const calls: [string, () => unknown][] = [
      ["net.update(NaN)", () => net.update(NaN)],
      ['net.update("1e-3")', () => net.update("1e-3" as never)],
      ["net.update(-1)", () => net.update(-1)],
      ["net.step(Infinity)", () => net.step(Infinity)],
      ["flopsPerStep({ n: 0 })", () => flopsPerStep({ n: 0 })],
      ["flopsPerStep(5)", () => flopsPerStep(5 as never)],
      ['TwoLayerNet.bytesFor({ dtype: "f16" })', () => TwoLayerNet.bytesFor({ dtype: "f16" as never })],
      ["TwoLayerNet.bytesFor(new Map())", () => TwoLayerNet.bytesFor(new Map() as never)],
      ['pythonFloat("1")', () => pythonFloat("1" as never)],
      ["pythonFloat(1n)", () => pythonFloat(1n as never)],
      ['init({ simd: "yes" })', () => init({ simd: "yes" as never })],
      ["init({ wasm: { simd: 42 } })", () => init({ wasm: { simd: 42 as never } })],
      ["init({ threads: 2, simd: false })", () => init({ threads: 2, simd: false })],
    ];
    for (const [what, call] of calls) {
      const error = await errorOf(call);
      expect(error, what).toBeInstanceOf(TwoLayerError);
      expect((error as TwoLayerError).code, what).toBe("INVALID_OPTION");
    }
    expect(((await errorOf(() => init({ wasm: { gpu: 1 } as never }))) as TwoLayerError).code).toBe("UNKNOWN_OPTION");
    expect(Array.from(net.w1), "a refused update changed nothing").toEqual(w1);
    // The plot draws what it can of junk and says nothing raw either (no TypeError or RangeError).
    for (const junk of [null, 5, "abc", [NaN, "x", {}], { length: -1 }, new Proxy([], { get() { throw new Error("no"); } })]) {
      const error = await errorOf(() => lossPlotSvg(junk as never));
      if (error !== undefined) expect(error, String(junk)).toBeInstanceOf(TwoLayerError);
    }
    net.dispose();
  });
});

describe("a failed create leaves nothing behind", () => {
  it.each([{}, { threads: 2 }])("%j: twenty creates failing for memory grow nothing and leave no worker running", async (options) => {
    // A network that passes every check (it is within MAX_ARENA_BYTES) but cannot have its memory:
    // the memory already holds another network, so 4 GiB − 1 MiB more does not fit in 4 GiB.
    const other = await TwoLayerNet.create(options);
    const memory = (await loadedBuild(options.threads ? "threads" : "simd")).memory;
    const sizes = { n: 1, dIn: 2 ** 16, hidden: Math.floor(MAX_ARENA_BYTES / 16 / 2 ** 16) - 4, dOut: 1 };
    expect(TwoLayerNet.bytesFor(sizes)).toBeLessThanOrEqual(MAX_ARENA_BYTES);
    const before = memory.buffer.byteLength;
    // Worker threads are threads of this process (Linux lists them in /proc/self/task).
    const workers = () => readdirSync("/proc/self/task").length;
    const workersBefore = workers();
    for (let i = 0; i < 20; i++) {
      const error = await errorOf(() => TwoLayerNet.create({ ...sizes, ...options, w1: new Float64Array(0) as never }));
      expect((error as TwoLayerError).code, "the arrays are checked first").toBe("INVALID_ARRAY");
      const failed = await errorOf(() => TwoLayerNet.create({ ...sizes, ...options }));
      expect(failed, String(failed)).toBeInstanceOf(TwoLayerError);
      expect((failed as TwoLayerError).code).toBe("OUT_OF_MEMORY");
    }
    expect(memory.buffer.byteLength).toBe(before);
    // Terminated workers take a moment to go; 20 failed creates with threads would leave 20 behind.
    for (let wait = 0; wait < 50 && workers() > workersBefore; wait++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(workers()).toBeLessThanOrEqual(workersBefore);
    other.dispose();
  });
});

describe("numbers that are wrong never look right", () => {
  it.each(["f64", "f32"] as const)("%s: a view kept past dispose reads NaN in every element, the first and last too", async (dtype) => {
    const net = await TwoLayerNet.create({ n: 3, dIn: 5, hidden: 7, dOut: 2, dtype });
    const views = [net.x, net.y, net.w1, net.w2, net.h];
    net.dispose();
    for (const view of views) expect(Array.from(view).every(Number.isNaN), Array.from(view).join()).toBe(true);
  });

  it("an f32 network whose gradients overflow while its loss is still finite stops as diverged, its weights finite", async () => {
    // The case: at learning rate 5e-6, float32 gradients overflow a few iterations before the
    // loss (summed in float64) does; the update that would write Inf into w1 is refused.
    const result = await train({ dtype: "f32", learningRate: 5e-6, iterations: 50 });
    expect(result.status).toBe("diverged");
    const { iteration, message } = result.divergence!;
    expect(message).toMatch(new RegExp(`^the (update at iteration ${iteration} would make w[12]\\[\\d+\\] (-?inf|nan)|loss became)`));
    const net = await TwoLayerNet.create({ dtype: "f32" });
    const trained = await net.train({ learningRate: 5e-6, iterations: 50 });
    expect(trained.status).toBe("diverged");
    expect(Array.from(net.w1).every(Number.isFinite) && Array.from(net.w2).every(Number.isFinite)).toBe(true);
    // step refuses the same update, leaving the weights as they were.
    const w1 = Float32Array.from(net.w1);
    const error = await errorOf(() => { for (let t = 0; t < 50; t++) net.step(5e-6); });
    expect((error as TwoLayerError).code).toBe("NON_FINITE");
    expect((error as TwoLayerError).message).toMatch(/this update would make w[12]\[\d+\] (-?inf|nan); the weights are unchanged/);
    expect(Array.from(net.w1).every(Number.isFinite)).toBe(true);
    void w1;
    net.dispose();
  });

  it('onNonFinite: "continue" and allowNonFinite let non-finite weights through, as numpy does', async () => {
    const result = await train({ dtype: "f32", learningRate: 5e-6, iterations: 30, onNonFinite: "continue" });
    expect(result.status).toBe("completed");
    const net = await TwoLayerNet.create({ dtype: "f32", allowNonFinite: true });
    for (let t = 0; t < 30; t++) net.step(5e-6);
    expect(Array.from(net.w1).some((v) => !Number.isFinite(v))).toBe(true);
    net.dispose();
  });

  it("a build given for the wrong slot, or a damaged one, is refused when loaded", async () => {
    const bytes = (build: "simd" | "scalar" | "threads") => readFileSync(defaultWasmUrl(build));
    for (const [slot, given, why] of [
      ["threads", "simd", /it is the "simd" build \(features: SIMD\), not the "threads" build \(features: SIMD, threads\)/],
      ["simd", "scalar", /it is the "scalar" build \(features: none\), not the "simd" build/],
      ["scalar", "simd", /it is the "simd" build/],
    ] as const) {
      const error = await errorOf(() => loadBuild(slot, bytes(given)));
      expect((error as TwoLayerError).code, `${given} as ${slot}`).toBe("WASM_UNAVAILABLE");
      expect((error as TwoLayerError).build).toBe(slot);
      expect((error as TwoLayerError).message).toMatch(why);
    }
  });

  it("corrupted build bytes either load and compute right, or are WASM_UNAVAILABLE: nothing else", async () => {
    const good = new Uint8Array(readFileSync(defaultWasmUrl("scalar")));
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.option(fc.nat(good.length), { nil: undefined }), async (flips, cut) => {
        const bytes = good.slice(0, cut ?? good.length);
        for (const [at, value] of flips) if (at < bytes.length) bytes[at] = value;
        try {
          const { exports } = await loadBuild("scalar", bytes);
          // It loaded: then its product checked out; it must also train as the shipped build does.
          expect(typeof exports.gemm_nn_f64).toBe("function");
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(TwoLayerError);
          expect((error as TwoLayerError).code).toBe("WASM_UNAVAILABLE");
          refused++;
        }
      }),
      { numRuns: 300 },
    );
    expect(refused).toBeGreaterThan(100);
  });
});

describe("messages say the real cause", () => {
  it("NaN in x with learning rate 0: the data, not the learning rate", async () => {
    const result = await train({ n: 2, dIn: 3, hidden: 4, dOut: 2, x: [1, NaN, 0, 0, 0, 0], allowNonFinite: true, learningRate: 0 });
    expect(result.status).toBe("diverged");
    expect(result.divergence!.message).toBe("the loss became nan at iteration 0: x[1] is NaN (allowNonFinite let it in); the learning rate is not the cause");
  });

  it("a loss that overflows before any update is not blamed on the learning rate", async () => {
    const result = await train({ n: 1, dIn: 1, hidden: 1, dOut: 1, x: [1e200], w1: [1e200], w2: [1], y: [0] });
    expect(result.divergence!.message).toMatch(/at iteration 0, before any update changed the weights, so the learning rate is not the cause/);
  });

  it("a NaN or ±Infinity written through a view of a network created finite is named, not blamed on the learning rate", async () => {
    const sizes = { n: 3, dIn: 5, hidden: 4, dOut: 2 };
    for (const algorithm of ["direct", "gram"] as const) {
      for (const [view, index, value] of [["x", 4, NaN], ["y", 0, -Infinity], ["w1", 7, Infinity], ["w2", 1, NaN]] as const) {
        const net = await TwoLayerNet.create({ ...sizes, algorithm });
        net.step(1e-3);
        net[view][index] = value;
        const [w1, w2] = [Float64Array.from(net.w1), Float64Array.from(net.w2)];
        const named = `${view}[${index}] is ${value} (the network was created finite: a write through a view, or training on with onNonFinite: "continue", put it there); the learning rate is not the cause`;
        const stepped = (await errorOf(() => net.step(1e-3))) as TwoLayerError;
        expect(stepped, `${algorithm} ${view}`).toBeInstanceOf(TwoLayerError);
        expect(stepped.code).toBe("NON_FINITE");
        expect(stepped.message).toMatch(/^this update would make (w1|w2)\[\d+\] (nan|-?inf); the weights are unchanged: /);
        expect(stepped.message.endsWith(`${named}: write finite values`), stepped.message).toBe(true);
        expect(Float64Array.from(net.w2)).toEqual(w2);
        if (view !== "w1") expect(Float64Array.from(net.w1)).toEqual(w1);
        const result = await net.train({ iterations: 3, learningRate: 1e-3 });
        expect(result.status).toBe("diverged");
        expect(result.divergence!.message).toMatch(/^the loss became (nan|inf) at iteration 0: /);
        expect(result.divergence!.message.endsWith(named), result.divergence!.message).toBe(true);
        net.dispose();
      }
    }
  });

  it("an update refused for data written non-finite between passes says so in train's divergence", async () => {
    // A write between the pass and its update (in onIteration): the loss was finite, the update is not.
    const net = await TwoLayerNet.create({ n: 3, dIn: 5, hidden: 4, dOut: 2 });
    const result = await net.train({ iterations: 5, learningRate: 1e-3, onIteration: (t) => t === 2 && (net.w2[0] = NaN) });
    expect(result.status).toBe("diverged");
    expect(result.divergence!.iteration).toBe(2);
    expect(Number.isFinite(result.losses[2])).toBe(true);
    expect(result.divergence!.message).toMatch(/^the update at iteration 2 would make w2\[0\] nan: w2\[0\] is NaN \(the network was created finite: a write through a view.*the learning rate is not the cause$/);
    net.dispose();
  });

  it("predict refuses the non-finite weights of a network created finite, and gives them to one that allows them", async () => {
    for (const [view, value] of [["w1", Infinity], ["w2", NaN]] as const) {
      for (const allowNonFinite of [false, true]) {
        const net = await TwoLayerNet.create({ n: 3, dIn: 5, hidden: 4, dOut: 2, allowNonFinite, algorithm: "gram" });
        net[view].fill(value);
        const error = (await errorOf(() => net.predict(new Float64Array(5).fill(1)))) as TwoLayerError;
        if (allowNonFinite) {
          expect(error).toBeUndefined();
          expect(Array.from(net.predict(new Float64Array(5).fill(1))).some(Number.isFinite)).toBe(false);
        } else {
          expect(error).toBeInstanceOf(TwoLayerError);
          expect([error.code, error.option]).toEqual(["INVALID_ARRAY", view]);
          expect(error.message).toBe(`predict needs finite weights, and ${view}[0] is ${value} (the network was created finite: a write through net.${view}, or training on with onNonFinite: "continue", put it there): write finite weights, or create the network with allowNonFinite: true to predict with them anyway`);
        }
        net.dispose();
      }
    }
  });

  it("an update refused because the pass's gradients overflowed says so, not lower the learning rate, at any rate (step and update)", async () => {
    const sizes = { n: 8, dIn: 20, hidden: 6, dOut: 3 };
    const [x, w1] = [new Float64Array(160).fill(1e150), new Float64Array(120).fill(1e10)]; // K = x·xᵀ finite, the loss not
    for (const algorithm of ["direct", "gram"] as const) {
      for (const rate of [0, 1e-3]) {
        const net = await TwoLayerNet.create({ ...sizes, algorithm, x, w1 });
        const error = (await errorOf(() => net.step(rate))) as TwoLayerError;
        expect(error.code, `${algorithm} ${rate}`).toBe("NON_FINITE");
        expect(error.message).toMatch(/; the weights are unchanged: grad_w[12]\[\d+\] is -?Infinity: x·w1 and the products after it overflow float64 with these data and weights, whatever the learning rate; scale x, y or the weights down$/);
        expect(Array.from(net.w1)).toEqual(Array.from(w1));
        expect((await errorOf(() => net.update(rate)) as TwoLayerError).message).toBe(error.message);
        net.dispose();
      }
    }
  });

  it("predict's result that overflows from finite inputs and weights is NON_FINITE, naming the row; allowNonFinite returns it", async () => {
    for (const dtype of ["f64", "f32"] as const) {
      const big = dtype === "f64" ? 1e200 : 1e30;
      const w2 = Array.from({ length: 18 }, (_, i) => (i % 2 ? big : -big));
      for (const algorithm of ["direct", "gram"] as const) {
        for (const allowNonFinite of [false, true]) {
          const net = await TwoLayerNet.create({ n: 8, dIn: 20, hidden: 6, dOut: 3, dtype, algorithm, allowNonFinite, w1: new Array(120).fill(big), w2 });
          const x = new Float64Array(40).fill(1e-300);
          x.fill(1, 20);
          const error = (await errorOf(() => net.predict(x))) as TwoLayerError;
          if (allowNonFinite) {
            expect(error).toBeUndefined();
            expect(Array.from(net.predict(x).subarray(3)).some(Number.isFinite)).toBe(false);
          } else {
            expect(error.code, `${dtype} ${algorithm}`).toBe("NON_FINITE");
            const type = dtype === "f64" ? "float64" : "float32";
            expect(error.message).toMatch(new RegExp(`^predict's result for input row 1 is (NaN|-?Infinity) \\(column \\d\\): relu\\(x·w1\\)·w2 overflows ${type} there, though the input and the weights are finite; scale the input or the weights down`));
          }
          net.dispose();
        }
      }
    }
  });

  it('simd: false with threads: "auto" says why it ran on one thread, truly', async () => {
    const result = await train({ n: 2, dIn: 3, hidden: 4, dOut: 2, iterations: 1, simd: false, threads: "auto" });
    if (result.fallbacks.length) expect(result.fallbacks[0]).toMatch(/threads run on the SIMD build, and simd: false was asked for/);
    expect(result.fallbacks.join()).not.toMatch(/lacks/);
  });
});
