// The public API's contract: typed errors for bad input, loading from every kind of source, the SIMD
// fallback, init taking every build from the caller, zero-copy views across memory growth, dispose,
// and networks that never touch each other.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BUILD_FILES } from "../src/builds/builds.js";
import { chooseSimd } from "../src/builds/choose.js";
import { relaxedSimdSupported } from "../src/builds/features.js";
import { loadBuild, loadedBuild } from "../src/builds/load.js";
import { defaultWasmUrl } from "../src/builds/source.js";
import { init, train, TwoLayerError, TwoLayerNet, type TrainOptions } from "../src/index.js";
import { checkGuards, openNetwork } from "../src/net.js";

async function expectError(promise: Promise<unknown> | (() => unknown), code: string, message: RegExp) {
  let error: unknown;
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (e) {
    error = e;
  }
  expect(error, `expected a TwoLayerError ${code}`).toBeInstanceOf(TwoLayerError);
  expect((error as TwoLayerError).code).toBe(code);
  expect((error as TwoLayerError).message).toMatch(message);
}

describe("bad input gets a TwoLayerError with a code, naming the argument and what it accepts", () => {
  const BAD: [TrainOptions | unknown, string, RegExp][] = [
    [{ n: 0 }, "INVALID_OPTION", /n \(the batch size N\) must be an integer from 1 to \d+, got 0/],
    [{ dIn: -1 }, "INVALID_OPTION", /dIn \(the input width D_in\) must be an integer from 1/],
    [{ hidden: 2.5 }, "INVALID_OPTION", /hidden .* got 2.5/],
    [{ dOut: NaN }, "INVALID_OPTION", /dOut .* got NaN/],
    [{ n: "64" }, "INVALID_OPTION", /n .* got "64"/],
    [{ seed: 2 ** 32 }, "INVALID_OPTION", /seed \(numpy's seed\) must be an integer from 0 to 4294967295, got 4294967296/],
    [{ seed: -1 }, "INVALID_OPTION", /seed .* got -1/],
    [{ seed: 0.5 }, "INVALID_OPTION", /seed .* got 0.5/],
    [{ dtype: "f16" }, "INVALID_OPTION", /dtype must be one of "f64", "f32", got "f16"/],
    [{ backend: "gpu" }, "INVALID_OPTION", /backend must be one of "wasm", "js", got "gpu"/],
    [{ simd: "yes" }, "INVALID_OPTION", /simd must be one of "auto", true, false/],
    [{ learningRate: NaN }, "INVALID_OPTION", /learningRate must be a finite number ≥ 0, got NaN/],
    [{ learningRate: -1e-6 }, "INVALID_OPTION", /learningRate .* got -0.000001/],
    [{ learningRate: Infinity }, "INVALID_OPTION", /learningRate .* got Infinity/],
    [{ iterations: -1 }, "INVALID_OPTION", /iterations .* must be an integer from 0/],
    [{ iterations: 1.5 }, "INVALID_OPTION", /iterations .* got 1.5/],
    [{ onIteration: 5 }, "INVALID_OPTION", /onIteration must be a function/],
    [{ onNonFinite: "ignore" }, "INVALID_OPTION", /onNonFinite must be one of "stop", "continue"/],
    [{ signal: {} }, "INVALID_OPTION", /signal must be an AbortSignal/],
    [{ learningrate: 1e-6 }, "UNKNOWN_OPTION", /no option "learningrate"; did you mean "learningRate"\?/],
    [{ hiden: 3 }, "UNKNOWN_OPTION", /did you mean "hidden"/],
    [{ banana: 1 }, "UNKNOWN_OPTION", /train has no option "banana" \(options: n, dIn/],
    [null, "INVALID_OPTION", /train takes an options object, got null/],
    [[1, 2], "INVALID_OPTION", /train takes an options object, got an array/],
    [{ n: 2, dIn: 3, x: [1, 2, 3] }, "INVALID_ARRAY", /x must hold 2×3 = 6 numbers \(row-major\), got 3/],
    [{ n: 1, dOut: 2, y: [1, NaN] }, "INVALID_ARRAY", /y\[1\] is NaN; pass finite values, or allowNonFinite: true/],
    [{ dIn: 1, hidden: 1, w1: new Int32Array(1) }, "INVALID_ARRAY", /w1 must be a Float64Array, Float32Array or array of numbers, got an Int32Array/],
    [{ hidden: 1, dOut: 1, w2: ["1"] }, "INVALID_ARRAY", /w2\[0\] must be a number, got "1"/],
    [{ n: 2 ** 16, dIn: 2 ** 16 }, "OUT_OF_MEMORY", /this network needs \d+ bytes but one network may take at most 4293918720/],
    [{ n: 2 ** 31 - 1, dIn: 2 ** 31 - 1, hidden: 2 ** 31 - 1, dOut: 2 ** 31 - 1 }, "OUT_OF_MEMORY", /needs \d+ bytes/],
  ];
  it.each(BAD)("train(%j) → %s", async (options, code, message) => {
    await expectError(train(options as TrainOptions), code, message);
  });

  it("TwoLayerNet.create refuses the same, and train-only options", async () => {
    await expectError(TwoLayerNet.create({ n: 0 }), "INVALID_OPTION", /n \(the batch size N\)/);
    await expectError(TwoLayerNet.create({ iterations: 5 } as never), "UNKNOWN_OPTION", /TwoLayerNet.create has no option "iterations"/);
  });

  it("step and net.train check their arguments", async () => {
    const net = await TwoLayerNet.create({ n: 2, dIn: 3, hidden: 4, dOut: 1 });
    expect(() => net.step(NaN)).toThrow(/learningRate must be a finite number ≥ 0, got NaN/);
    expect(() => net.step(-1)).toThrow(TwoLayerError);
    await expectError(net.train({ iterations: -2 }), "INVALID_OPTION", /iterations/);
    await expectError(net.train({ n: 3 } as never), "UNKNOWN_OPTION", /net.train has no option "n"/);
    net.dispose();
  });

  it("validates before loading wasm or reserving memory: a bad option leaves memory as it was", async () => {
    const net = await TwoLayerNet.create({ n: 2, dIn: 2, hidden: 2, dOut: 2 });
    const w = await loadedBuild("simd");
    const before = w.memory.buffer.byteLength;
    await expectError(train({ n: 2 ** 15, dIn: 2 ** 15, hidden: 2 ** 15 }), "OUT_OF_MEMORY", /bytes/);
    expect(w.memory.buffer.byteLength).toBe(before);
    net.dispose();
  });
});

describe("a disposed network refuses use", () => {
  it.each(["wasm", "js"] as const)("%s: step, forwardBackward, train and the views throw DISPOSED; dispose is idempotent", async (backend) => {
    const net = await TwoLayerNet.create({ n: 2, dIn: 3, hidden: 4, dOut: 2, backend });
    const view = net.w1;
    net.dispose();
    net.dispose();
    expect(net.disposed).toBe(true);
    for (const use of [() => net.step(), () => net.forwardBackward(), () => net.w1, () => net.x, () => net.gradW2]) {
      await expectError(use, "DISPOSED", /this network was disposed; create a new one/);
    }
    await expectError(net.train({ iterations: 1 }), "DISPOSED", /disposed/);
    // A view kept past dispose never shows the numbers again: detached (js) or NaN-poisoned (wasm),
    // but for the allocator's free-list links in the block's first 8 bytes (one f64).
    if (backend === "js") expect(view.length).toBe(0);
    else expect(Array.from(view).slice(1).every(Number.isNaN), Array.from(view).join()).toBe(true);
  });
});

describe("loading the wasm", () => {
  const bytes = () => readFileSync(defaultWasmUrl("simd"));

  it("from bytes, a Response, a compiled Module, a URL and a URL string", async () => {
    const module = await WebAssembly.compile(bytes());
    const sources = [
      bytes(),
      new Response(bytes(), { headers: { "Content-Type": "application/wasm" } }),
      Promise.resolve(new Response(bytes())),
      module,
      defaultWasmUrl("simd"),
      defaultWasmUrl("simd").href,
    ];
    for (const source of sources) {
      const { exports } = await loadBuild("simd", source);
      expect(typeof exports.gemm_nn_f64).toBe("function");
    }
  });

  it("init({ wasm }) makes networks use the given module", async () => {
    const module = await WebAssembly.compile(bytes());
    expect(await init({ wasm: { simd: module } })).toEqual({ build: "simd" });
    const { losses } = await train({ n: 3, dIn: 4, hidden: 5, dOut: 2, iterations: 3 });
    expect(losses).toHaveLength(3);
  });

  it("a bad source is a WASM_UNAVAILABLE error that says what to do", async () => {
    await expectError(loadBuild("scalar", new Uint8Array([1, 2, 3])), "WASM_UNAVAILABLE", /could not load the scalar WebAssembly build .*backend: "js"/);
    await expectError(loadBuild("scalar", new URL("./no-such.wasm", defaultWasmUrl("scalar"))), "WASM_UNAVAILABLE", /could not load/);
  });
});

describe("SIMD detection and fallback", () => {
  afterEach(() => vi.restoreAllMocks());

  it("without SIMD, auto picks the scalar build and simd: true is refused with a clear error", async () => {
    vi.spyOn(WebAssembly, "validate").mockReturnValue(false);
    expect(chooseSimd("auto")).toBe("scalar");
    expect(chooseSimd(false)).toBe("scalar");
    await expectError(() => chooseSimd(true), "WASM_UNAVAILABLE", /does not support WebAssembly SIMD; use simd: "auto" or false/);
    const result = await train({ n: 2, dIn: 3, hidden: 2, dOut: 1, iterations: 2 });
    expect(result.backend).toBe("wasm-scalar");
  });

  it("with SIMD, auto picks it and the user can force the scalar build", async () => {
    expect(chooseSimd("auto")).toBe("simd");
    expect((await train({ iterations: 1, simd: false })).backend).toBe("wasm-scalar");
    expect((await train({ iterations: 1, simd: true })).backend).toBe("wasm-simd");
  });
});

describe("zero-copy views", () => {
  it("are writable and read by the next step", async () => {
    const net = await TwoLayerNet.create({ n: 2, dIn: 3, hidden: 4, dOut: 2 });
    const before = net.forwardBackward();
    net.y.fill(0);
    net.w2.fill(0);
    expect(net.forwardBackward()).toBe(0); // y_pred = h_relu·0 = 0 = y
    expect(before).toBeGreaterThan(0);
    net.dispose();
  });

  it("survive memory growth: getters re-make views after the buffer is replaced, values intact", async () => {
    const a = await TwoLayerNet.create({ n: 3, dIn: 5, hidden: 7, dOut: 2, seed: 1 });
    const solo = await TwoLayerNet.create({ n: 3, dIn: 5, hidden: 7, dOut: 2, seed: 1 });
    const oldView = a.w1;
    const w1 = Array.from(oldView);
    const w = await loadedBuild("simd");
    const bytesBefore = w.memory.buffer.byteLength;
    const big = await TwoLayerNet.create({ n: 64, dIn: 4000, hidden: 100, dOut: 10 }); // ~7 MB: memory must grow
    expect(w.memory.buffer.byteLength).toBeGreaterThan(bytesBefore);
    expect(oldView.length).toBe(0); // the engine detached the old view ...
    expect(Array.from(a.w1)).toEqual(w1); // ... and the getter gives a fresh one on the new buffer
    for (let t = 0; t < 5; t++) expect(a.step(1e-3)).toBe(solo.step(1e-3));
    [a, solo, big].forEach((net) => net.dispose());
  });
});

describe("networks never touch each other", () => {
  it("many networks stepped in interleaved order give exactly their solo losses, with guard bytes intact", async () => {
    const configs = [
      { n: 1, dIn: 1, hidden: 1, dOut: 1, seed: 1 },
      { n: 3, dIn: 5, hidden: 7, dOut: 2, seed: 2 },
      { n: 17, dIn: 33, hidden: 9, dOut: 5, seed: 3 },
      { n: 4, dIn: 8, hidden: 16, dOut: 3, seed: 4, dtype: "f32" as const },
      { n: 9, dIn: 2, hidden: 13, dOut: 7, seed: 5, simd: false },
      { n: 5, dIn: 11, hidden: 3, dOut: 1, seed: 6, backend: "js" as const },
    ];
    const steps = 20;
    const lr = 1e-3;
    const solo: number[][] = [];
    for (const config of configs) {
      const net = await TwoLayerNet.create(config);
      solo.push(Array.from({ length: steps }, () => net.step(lr)));
      net.dispose();
    }
    const nets = await Promise.all(configs.map((config) => openNetwork({ config: { ...defaults, ...config }, arrays: {} }, true)));
    const losses: number[][] = configs.map(() => []);
    // A fixed shuffled order: each network's steps interleaved with every other's.
    const order = Array.from({ length: steps * nets.length }, (_, i) => i % nets.length);
    for (let i = order.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const which of order) {
      losses[which].push(nets[which].step(lr));
      nets.forEach((net) => checkGuards(net));
    }
    losses.forEach((got, i) => expect(got, `network ${i}`).toEqual(solo[i]));
    nets.forEach((net) => net.dispose());
  });
});

describe("init", () => {
  it("takes every build from the caller (a compiled WebAssembly.Module, bytes), and networks then use them", async () => {
    await relaxedSimdSupported(); // Node 20 compiles relaxed SIMD only after its V8 flag is set
    const module = (build: keyof typeof BUILD_FILES) => new WebAssembly.Module(readFileSync(defaultWasmUrl(build)));
    const ready = await init({ fma: true, threads: 2, wasm: { fma: module("fma"), "threads-fma": readFileSync(defaultWasmUrl("threads-fma")) } });
    expect(ready).toEqual({ build: "fma", threaded: "threads-fma" });
    const small = { n: 5, dIn: 9, hidden: 4, dOut: 2, iterations: 3 };
    const [one, two] = [await train({ ...small, fma: true }), await train({ ...small, fma: true, threads: 2 })];
    expect([one.fmaUsed, one.threadsUsed, two.fmaUsed, two.threadsUsed]).toEqual([true, 1, true, 2]);
    expect(Math.abs(one.losses[2] / two.losses[2] - 1)).toBeLessThan(1e-12);
  });
});

describe("options", () => {
  it("refuse bad or contradictory threads and fma with INVALID_OPTION", async () => {
    for (const options of [{ threads: 0 }, { threads: 1.5 }, { threads: "two" }, { threads: 257 }, { fma: "yes" }, { backend: "js", threads: 2 }, { backend: "js", fma: true }, { simd: false, fma: true }, { simd: false, threads: 2 }]) {
      await expect(TwoLayerNet.create(options as never), JSON.stringify(options)).rejects.toMatchObject({ name: "TwoLayerError", code: "INVALID_OPTION" });
    }
  });
});

const defaults = { n: 64, dIn: 1000, hidden: 100, dOut: 10, seed: 0, dtype: "f64" as const, backend: "wasm" as const, simd: "auto" as const, fma: false, threads: 1 };
