// The speed options against numpy and against their documented arithmetic: fma, threads (the fixed
// summation order, bit-for-bit repeats, what threadsUsed reports, workers ending on dispose and not
// keeping a process alive), the packed copy of x, and the smallest network.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { init, train, TwoLayerError, TwoLayerNet } from "../src/index.js";
import { BUILD_FILES, defaultWasmUrl, relaxedSimdSupported } from "../src/loader.js";
import * as ref from "../src/js-kernels.js";
import fixture from "./fixtures/losses.json";
import { expectSame, expectTrajectory } from "./harness.js";

const seed0 = fixture.runs[0];

describe("the seed run against numpy with the speed options (float64, all 500 losses within 1e-9)", () => {
  for (const options of [{ fma: true }, { threads: 2 }, { threads: 2, fma: true }, { threads: 3 }] as const) {
    it(JSON.stringify(options), async () => {
      const result = await train(options);
      expect(result.threadsUsed, "threadsUsed").toBe("threads" in options ? options.threads : 1);
      expect(result.fmaUsed, "fmaUsed").toBe("fma" in options); // Node 20 has relaxed SIMD once the V8 flag is set
      expect(result.fallbacks).toEqual([]);
      expectTrajectory(result.losses, seed0.losses, 1e-9, JSON.stringify(options));
    });
  }

  it("float32 with fma and 2 threads follows numpy's run while the loss is large and flattens near 2.4e-4", async () => {
    const result = await train({ dtype: "f32", fma: true, threads: 2 });
    expectTrajectory(result.losses.subarray(0, 300), seed0.losses.slice(0, 300), 1e-3, "f32 fma threads 2");
    expect(result.losses[499]).toBeGreaterThan(1e-4);
    expect(result.losses[499]).toBeLessThan(1e-3);
  });
});

describe("threads", () => {
  const small = { n: 37, dIn: 301, hidden: 45, dOut: 7, seed: 3 };

  it("repeat bit for bit for a given thread count", async () => {
    for (const threads of [2, 3]) {
      const runs = [];
      for (let r = 0; r < 2; r++) {
        const net = await TwoLayerNet.create({ threads });
        const losses = Array.from({ length: 20 }, () => net.step());
        runs.push({ losses, w1: Float64Array.from(net.w1), w2: Float64Array.from(net.w2) });
        net.dispose();
      }
      expectSame(runs[1].losses, runs[0].losses, `losses, threads ${threads}`);
      expectSame(runs[1].w1, runs[0].w1, `w1, threads ${threads}`);
      expectSame(runs[1].w2, runs[0].w2, `w2, threads ${threads}`);
    }
  });

  it("h is the documented order: 2T ranges of K, each summed in increasing k, added in range order; the rest is exact", async () => {
    for (const threads of [2, 3]) {
      for (const shape of [{ ...small }, { n: 64, dIn: 1000, hidden: 100, dOut: 10, seed: 0 }]) {
        const net = await TwoLayerNet.create({ ...shape, threads });
        const { n, dIn: K, hidden: H, dOut } = shape;
        const x = Float64Array.from(net.x);
        const w1 = Float64Array.from(net.w1);
        const w2 = Float64Array.from(net.w2);
        const y = Float64Array.from(net.y);
        net.forwardBackward();
        // h by the documented order.
        const C = 2 * threads;
        const h = new Float64Array(n * H);
        for (let i = 0; i < C; i++) {
          const [p0, p1] = [Math.floor((i * K) / C), Math.floor(((i + 1) * K) / C)];
          const part = new Float64Array(n * H);
          const xPart = Float64Array.from({ length: n * (p1 - p0) }, (_, e) => x[Math.floor(e / (p1 - p0)) * K + p0 + (e % (p1 - p0))]);
          ref.gemm_nn(part, xPart, w1.subarray(p0 * H, p1 * H), n, p1 - p0, H);
          if (i === 0) h.set(part);
          else ref.accumulate(h, part, n * H);
        }
        const label = `threads ${threads}, ${JSON.stringify(shape)}`;
        expectSame(net.h, h, `h, ${label}`);
        // The rest of the pass from that h, on one thread with the reference kernels.
        const hRelu = new Float64Array(n * H);
        ref.relu_forward(hRelu, h, n * H);
        const yPred = new Float64Array(n * dOut);
        ref.gemm_nn(yPred, hRelu, w2, n, H, dOut);
        const gradYPred = new Float64Array(n * dOut);
        ref.sse_loss_grad(gradYPred, yPred, y, n * dOut);
        const gradW2 = new Float64Array(H * dOut);
        ref.gemm_tn(gradW2, hRelu, gradYPred, H, n, dOut);
        const gradH = new Float64Array(n * H);
        ref.gemm_nt(gradH, gradYPred, w2, n, dOut, H);
        ref.relu_backward(gradH, h, n * H);
        const gradW1 = new Float64Array(K * H);
        ref.gemm_tn(gradW1, x, gradH, K, n, H);
        expectSame(net.gradW2, gradW2, `grad_w2, ${label}`);
        expectSame(net.gradW1, gradW1, `grad_w1 (rows split across threads, each summed as on one thread), ${label}`);
        // And the update, split across threads element-wise: exactly numpy's w -= lr * grad.
        net.update(1e-3);
        expectSame(net.w1, w1.map((w, i) => w - 1e-3 * gradW1[i]), `w1 after update, ${label}`);
        expectSame(net.w2, w2.map((w, i) => w - 1e-3 * gradW2[i]), `w2 after update, ${label}`);
        net.dispose();
      }
    }
  });

  it("threadsUsed says what ran: the count asked for, \"auto\" as the cores, 1 for backend js", async () => {
    const { availableParallelism } = await import("node:os");
    for (const [options, want] of [[{ threads: 2 }, 2], [{ threads: 1 }, 1], [{}, 1], [{ threads: "auto" }, availableParallelism()], [{ backend: "js", threads: "auto" }, 1]] as const) {
      const net = await TwoLayerNet.create({ ...small, ...options });
      expect(net.threadsUsed, JSON.stringify(options)).toBe(want);
      net.dispose();
    }
  });

  it("fall back to one thread, saying why, where there is no shared memory", async () => {
    const saved = globalThis.SharedArrayBuffer;
    // As in a browser page without cross-origin isolation.
    (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer = undefined;
    try {
      const result = await train({ ...small, iterations: 3, threads: 2 });
      expect(result.threadsUsed).toBe(1);
      expect(result.fallbacks).toHaveLength(1);
      expect(result.fallbacks[0]).toMatch(/^threads: 2 asked for, ran on 1 thread: .*SharedArrayBuffer/);
      const single = await train({ ...small, iterations: 3 });
      expectSame(result.losses, single.losses, "the fallback is the one-thread run");
    } finally {
      globalThis.SharedArrayBuffer = saved;
    }
  });

  it("fma falls back to the exact build, saying why, where the engine lacks relaxed SIMD", async () => {
    const validate = WebAssembly.validate;
    // As an engine without relaxed SIMD: it refuses every module using relaxed_madd (0xfd 0x87 0x02 for f64x2).
    WebAssembly.validate = (bytes: BufferSource) => {
      const b = new Uint8Array(bytes instanceof ArrayBuffer ? bytes : bytes.buffer);
      return !b.some((v, i) => v === 0xfd && b[i + 1] === 0x87 && b[i + 2] === 0x02) && validate(bytes);
    };
    try {
      const result = await train({ ...small, iterations: 3, fma: true });
      expect(result.fmaUsed).toBe(false);
      // Node 20 needs V8's flag for relaxed SIMD (later versions have it on), and the message names it.
      const flag = Number(process.versions.node.split(".")[0]) < 21 ? " (not even with V8's --experimental-wasm-relaxed-simd, which we set)" : "";
      expect(result.fallbacks).toEqual([`fma: true, but this engine does not support relaxed SIMD${flag}; ran without FMA`]);
      WebAssembly.validate = validate;
      expectSame(result.losses, (await train({ ...small, iterations: 3 })).losses, "the fallback is the default build's run");
    } finally {
      WebAssembly.validate = validate;
    }
  });

  it("a disposed network's workers are gone and using it throws DISPOSED", async () => {
    const net = await TwoLayerNet.create({ ...small, threads: 2 });
    net.step();
    net.dispose();
    net.dispose(); // idempotent
    expect(() => net.step()).toThrow(TwoLayerError);
  });

  it("workers do not keep a process alive: a script that never calls dispose() exits, and so does the CLI", () => {
    const src = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    const script = `import { TwoLayerNet } from ${JSON.stringify(src)};
      const net = await TwoLayerNet.create({ threads: 2 });
      for (let i = 0; i < 3; i++) net.step();
      console.log("stepped", net.threadsUsed);`;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(child.error, "the child process did not exit by itself").toBeUndefined();
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout).toBe("stepped 2\n");
    const cli = spawnSync(process.execPath, [fileURLToPath(new URL("../dist/cli.js", import.meta.url)), "train", "--threads", "2", "--fma", "--iterations", "5", "--quiet"], { encoding: "utf8", timeout: 60_000 });
    expect(cli.error, "the CLI did not exit by itself").toBeUndefined();
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stderr).toMatch(/, 2 threads, fma\n$/);
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

describe("the packed copy of x", () => {
  it("follows writes made through net.x between passes", async () => {
    const shape = { n: 9, dIn: 13, hidden: 6, dOut: 3, seed: 4 };
    const wasm = await TwoLayerNet.create(shape);
    const js = await TwoLayerNet.create({ ...shape, backend: "js" });
    wasm.forwardBackward();
    for (const net of [wasm, js]) net.x.set(net.x.map((v) => v * 0.5 - 1));
    const [lossWasm, lossJs] = [wasm.forwardBackward(), js.forwardBackward()];
    expect(Math.abs(lossWasm / lossJs - 1)).toBeLessThan(1e-14); // the loss's sum runs in another order
    expectSame(wasm.h, js.h, "h after writing x");
    expectSame(wasm.gradW1, js.gradW1, "grad_w1 after writing x");
    wasm.dispose();
    js.dispose();
  });
});

describe("the smallest network", () => {
  it("1×1×1×1 steps, on every backend and option, as numpy would", async () => {
    for (const options of [{}, { backend: "js" }, { simd: false }, { fma: true }, { threads: 2 }, { dtype: "f32" }] as const) {
      const net = await TwoLayerNet.create({ n: 1, dIn: 1, hidden: 1, dOut: 1, x: [2], y: [3], w1: [0.5], w2: [-1.5], ...options });
      // h = 1, h_relu = 1, y_pred = −1.5, loss = 20.25, grad_y_pred = −9, grad_w2 = −9, grad_h = 13.5, grad_w1 = 27.
      expect(net.step(0.01), JSON.stringify(options)).toBe(20.25);
      // w −= lr·grad, rounded as the dtype rounds (numpy's float32 rounds lr·grad, then the difference).
      const round = "dtype" in options ? Math.fround : (v: number) => v;
      const lr = round(0.01);
      expect(Array.from(net.w1)).toEqual([round(0.5 - round(lr * 27))]);
      expect(Array.from(net.w2)).toEqual([round(-1.5 - round(lr * -9))]);
      net.dispose();
    }
  });
});
