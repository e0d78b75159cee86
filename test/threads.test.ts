// The speed options against numpy and against their documented arithmetic: fma, threads (the fixed
// summation order, bit-for-bit repeats, what threadsUsed reports, workers ending on dispose and not
// keeping a process alive).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { train, TwoLayerError, TwoLayerNet } from "../src/index.js";
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
