// algorithm: "gram" against numpy and against the direct program: every fixture run, every build
// and speed option, float32, w1 and grad_w1 materialized, predict and saveWeights, re-basing after
// writes through x and w1, refused updates, the N ≥ D_in fallback, bad values and the CLI. On
// several threads, the Gram form's own checks are in gram-threads.test.ts.
import { describe, expect, it } from "vitest";
import { flopsPerStep, train, TwoLayerError, TwoLayerNet } from "../src/index.js";
import { gramScratchLength } from "../src/kernels.js";
import { checkGuards, openNetwork } from "../src/net.js";
import { netOptions } from "../src/options.js";
import { writeWeights } from "../src/weights.js";
import fixture from "./fixtures/losses.json";
import { run } from "./cli-child.js";
import { expectSame, expectTrajectory } from "./harness.js";

type Run = (typeof fixture.runs)[number];
const [seed0, ...others] = fixture.runs as Run[];
const gram = { algorithm: "gram" } as const;

/** max |a − b| over max |b|: how far a matrix is from another, relative to its size. */
function relativeTo(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

describe("the seed run against numpy (float64, 500 iterations, all losses within 1e-9 relative)", () => {
  for (const options of [{ backend: "wasm" }, { simd: false }, { backend: "js" }, { fma: true }, { threads: 2 }, { threads: 3 }, { threads: 2, fma: true }] as const) {
    it(JSON.stringify(options), async () => {
      const result = await train({ ...seed0.config, ...gram, ...options });
      expect(result.algorithmUsed).toBe("gram");
      expect(result.config.algorithm).toBe("gram");
      expect(result.fallbacks).toEqual([]);
      expectTrajectory(result.losses, seed0.losses, 1e-9, `gram ${JSON.stringify(options)}`);
    });
  }

  it("and within 1e-9 of the direct program's losses", async () => {
    const [direct, grammed] = [await train(seed0.config), await train({ ...seed0.config, ...gram })];
    expect(direct.algorithmUsed).toBe("direct");
    expectTrajectory(grammed.losses, Array.from(direct.losses), 1e-9, "gram vs direct");
  });
});

describe("other configurations against numpy (float64, within 1e-8)", () => {
  for (const run of others) {
    const label = Object.entries(run.config).map(([k, v]) => `${k}=${v}`).join(" ");
    it.each(["wasm", "js"] as const)(`%s: ${label}`, async (backend) => {
      const result = await train({ ...run.config, ...gram, backend });
      expect(result.algorithmUsed).toBe(run.config.n < run.config.dIn ? "gram" : "direct");
      expectTrajectory(result.losses, run.losses, 1e-8, `gram ${label} ${backend}`);
    });
  }
});

describe("bits", () => {
  it("the js backend and the wasm scalar build are bit-identical (float64): losses, w1, w2, grad_w1", async () => {
    const nets = [await TwoLayerNet.create({ ...gram, backend: "js" }), await TwoLayerNet.create({ ...gram, simd: false })];
    const losses = nets.map((net) => Array.from({ length: 60 }, () => net.step()));
    expectSame(losses[1], losses[0], "losses");
    for (const net of nets) net.forwardBackward();
    for (const name of ["w1", "w2", "gradW1", "gradW2", "h"] as const) expectSame(nets[1][name], nets[0][name], name);
    nets.forEach((net) => net.dispose());
  });

  it("reading w1 and grad_w1 between steps changes nothing", async () => {
    const [plain, read] = [await TwoLayerNet.create(gram), await TwoLayerNet.create(gram)];
    const a = Array.from({ length: 50 }, () => plain.step());
    const b = Array.from({ length: 50 }, (_, t) => {
      const loss = read.step();
      if (t % 7 === 0) void [read.w1[0], read.gradW1[0], read.saveWeights().length];
      return loss;
    });
    expectSame(b, a, "losses");
    expectSame(read.w1, plain.w1, "w1");
    [plain, read].forEach((net) => net.dispose());
  });

  it("a guarded gram network writes inside its blocks only", async () => {
    for (const dtype of ["f64", "f32"] as const) {
      const net = await openNetwork(netOptions({ n: 13, dIn: 29, hidden: 7, dOut: 3, seed: 4, dtype, ...gram }), true);
      for (let t = 0; t < 5; t++) net.step(1e-3);
      void [net.w1, net.gradW1, net.saveWeights(), net.predict(new Float64Array(29))];
      net.x[3] = 0.5;
      net.w1[2] = -1;
      net.step(1e-3);
      checkGuards(net);
      net.dispose();
    }
  });
});

describe("disposed", () => {
  it("reading a disposed gram network's w1 or grad_w1 throws DISPOSED, as for direct, and computes nothing into memory another network now holds", async () => {
    for (const dtype of ["f64", "f32"] as const) {
      const sizes = { n: 3, dIn: 5, hidden: 7, dOut: 2, dtype, ...gram };
      const net = await TwoLayerNet.create(sizes);
      net.step();
      void net.w1; // a w1 view is out
      net.step();
      net.dispose();
      // Two networks as alike as can be; the first one's memory is likely the disposed network's.
      const [other, control] = [await TwoLayerNet.create(sizes), await TwoLayerNet.create(sizes)];
      for (const n of [other, control]) {
        n.step();
        void n.w1; // its snapshot of w1 is out
      }
      expect(() => net.w1).toThrow(/disposed/);
      expect(() => net.gradW1).toThrow(/disposed/);
      expect(() => net.saveWeights()).toThrow(/disposed/);
      expect(() => net.step()).toThrow(/disposed/);
      const losses = [other, control].map((n) => Array.from({ length: 5 }, () => n.step()));
      expectSame(losses[0], losses[1], `${dtype}: the other network trains as its twin`);
      expectSame(other.w1, control.w1, `${dtype}: w1`);
      [other, control].forEach((n) => n.dispose());
    }
  });
});

describe("float32", () => {
  it("follows numpy's float64 run while the loss is large, and ends below 1e-3 (wasm, js, fma with 2 threads)", async () => {
    for (const options of [{}, { backend: "js", iterations: 300 }, { fma: true, threads: 2 }] as const) {
      const result = await train({ ...gram, dtype: "f32", ...options });
      expect(result.algorithmUsed).toBe("gram");
      expectTrajectory(result.losses.subarray(0, 300), seed0.losses.slice(0, 300), 1e-3, `gram f32 ${JSON.stringify(options)}`);
      if (result.losses.length === 500) expect(result.losses[499]).toBeLessThan(1e-3);
    }
  });
});

describe("what readers see", () => {
  it("w1, h and grad_w1 after 500 steps agree with the direct program's (float64 to 1e-13 and 1e-7, float32 to 1e-5)", async () => {
    for (const [dtype, weights, gradient] of [["f64", 1e-13, 1e-7], ["f32", 1e-5, 1]] as const) {
      const [direct, grammed] = [await TwoLayerNet.create({ dtype }), await TwoLayerNet.create({ dtype, ...gram })];
      for (let t = 0; t < 500; t++) [direct, grammed].forEach((net) => net.step());
      [direct, grammed].forEach((net) => net.forwardBackward());
      expect(relativeTo(grammed.w1, direct.w1), `${dtype} w1`).toBeLessThan(weights);
      expect(relativeTo(grammed.h, direct.h), `${dtype} h`).toBeLessThan(weights);
      expect(relativeTo(grammed.w2, direct.w2), `${dtype} w2`).toBeLessThan(weights);
      expect(relativeTo(grammed.gradW1, direct.gradW1), `${dtype} grad_w1`).toBeLessThan(gradient);
      [direct, grammed].forEach((net) => net.dispose());
    }
  });

  it("h is the last pass's, as in the direct program: an update does not change it, a write to it is overwritten", async () => {
    const net = await TwoLayerNet.create({ n: 5, dIn: 11, hidden: 4, dOut: 3, seed: 2, ...gram });
    net.forwardBackward();
    const h = Float64Array.from(net.h);
    net.update(1e-2);
    expectSame(net.h, h, "h after update");
    net.h.fill(123);
    const loss = net.forwardBackward();
    const direct = await TwoLayerNet.create({ n: 5, dIn: 11, hidden: 4, dOut: 3, seed: 2 });
    direct.step(1e-2);
    expect(Math.abs(loss / direct.forwardBackward() - 1)).toBeLessThan(1e-12);
    [net, direct].forEach((n) => n.dispose());
  });

  it("predict and saveWeights give what they give from the materialized w1", async () => {
    for (const dtype of ["f64", "f32"] as const) {
      const net = await TwoLayerNet.create({ dtype, ...gram });
      for (let t = 0; t < 40; t++) net.step();
      const w1 = net.dtype === "f64" ? Float64Array.from(net.w1) : Float32Array.from(net.w1);
      const w2 = net.w2.slice();
      expectSame(net.saveWeights(), writeWeights(w1, w2, net.dIn, net.hidden, net.dOut, "npz"), `${dtype} saveWeights`);
      const same = await TwoLayerNet.create({ dtype, w1, w2 });
      const x = Float64Array.from({ length: 3 * net.dIn }, (_, i) => Math.sin(i));
      expectSame(net.predict(x), same.predict(x), `${dtype} predict`);
      // And a network loaded from the saved file trains on from the same weights.
      const loaded = await TwoLayerNet.create({ dtype, weights: net.saveWeights() });
      expectSame(loaded.w1, w1, `${dtype} loaded w1`);
      [net, same, loaded].forEach((n) => n.dispose());
    }
  });
});

describe("re-basing after writes", () => {
  const small = { n: 9, dIn: 31, hidden: 6, dOut: 4, seed: 8 };
  /** A direct and a gram network, each running `script` (steps and writes), and their losses. */
  async function both(script: (net: TwoLayerNet, losses: number[]) => void) {
    const out = [];
    for (const algorithm of ["direct", "gram"] as const) {
      const net = await TwoLayerNet.create({ ...small, algorithm });
      const losses: number[] = [];
      script(net, losses);
      net.forwardBackward();
      out.push({ losses, w1: Float64Array.from(net.w1), w2: Float64Array.from(net.w2), net });
    }
    const [direct, grammed] = out;
    expectTrajectory(Float64Array.from(grammed.losses), direct.losses, 1e-12, "gram vs direct");
    expect(relativeTo(grammed.w1, direct.w1)).toBeLessThan(1e-13);
    out.forEach(({ net }) => net.dispose());
    return out;
  }
  const steps = (net: TwoLayerNet, losses: number[], count: number) => {
    for (let t = 0; t < count; t++) losses.push(net.step(1e-3));
  };

  it("a write through x (a view kept from before the steps) takes effect at the next pass", async () => {
    await both((net, losses) => {
      const x = net.x;
      steps(net, losses, 5);
      x[0] += 1;
      x[small.n * small.dIn - 1] = -2;
      steps(net, losses, 5);
    });
  });

  it("writes through a w1 view take effect, several writes and reads of the view included", async () => {
    await both((net, losses) => {
      steps(net, losses, 5);
      net.w1[0] = 0.25;
      net.w1[7] *= 3;
      expect(net.w1[0]).toBe(0.25);
      steps(net, losses, 5);
    });
  });

  it("a write through w1 between a pass and its update is the w1 the update applies to, as in the direct program", async () => {
    await both((net, losses) => {
      steps(net, losses, 3);
      losses.push(net.forwardBackward());
      net.w1[5] = -0.75;
      net.update(1e-3);
      steps(net, losses, 3);
    });
  });

  it("a write through x between a pass and its update: the update applies the pass's grad_w1, of the x it ran on, as in the direct program", async () => {
    await both((net, losses) => {
      steps(net, losses, 3);
      losses.push(net.forwardBackward());
      net.x[4] = 2;
      net.update(1e-3);
      steps(net, losses, 3);
    });
  });

  it("the same with reads between the write and the update (which re-base early), a second write of x and a write of w1", async () => {
    await both((net, losses) => {
      steps(net, losses, 3);
      losses.push(net.forwardBackward());
      net.x[4] = 2;
      void net.w1[0];
      void net.gradW1[0];
      net.predict(new Float64Array(small.dIn).fill(0.5));
      net.x[small.dIn + 1] = -3;
      net.w1[2] = 0.5;
      net.update(1e-3);
      steps(net, losses, 3);
    });
  });

  it("such an update that would overflow is refused, changing nothing, as the direct program's is", async () => {
    await both((net, losses) => {
      steps(net, losses, 2);
      losses.push(net.forwardBackward());
      net.x[4] = 2;
      const w1 = Float64Array.from(net.w1);
      expect(() => net.update(1e308)).toThrow(expect.objectContaining({ code: "NON_FINITE", message: expect.stringMatching(/^this update would make w[12]\[\d+\] -?inf; the weights are unchanged: lower the learning rate/) }));
      expect(Float64Array.from(net.w1)).toEqual(w1);
      net.update(1e-3);
      steps(net, losses, 2);
    });
  });

  it("x written from train's onIteration (between its pass and its update), one thread and two", async () => {
    const shape = { n: 67, dIn: 131, hidden: 61, dOut: 7, seed: 3 };
    for (const threads of [1, 2]) {
      const out = [];
      for (const algorithm of ["direct", "gram"] as const) {
        const net = await TwoLayerNet.create({ ...shape, algorithm, threads });
        const onIteration = (t: number) => {
          if (t === 3) net.x[5] = 2;
          if (t === 6) net.x[shape.dIn * 7 + 2] = -1.5;
        };
        const { losses } = await net.train({ iterations: 10, learningRate: 1e-5, onIteration });
        out.push({ losses, w1: Float64Array.from(net.w1), threadsUsed: net.threadsUsed });
        net.dispose();
      }
      const [direct, grammed] = out;
      expect(grammed.threadsUsed).toBe(threads);
      expectTrajectory(grammed.losses, [...direct.losses], 1e-12, `gram vs direct, ${threads} threads`);
      expect(relativeTo(grammed.w1, direct.w1)).toBeLessThan(1e-13);
    }
  });

  it("writing x and w1 together, and w2 and y, all take effect", async () => {
    await both((net, losses) => {
      steps(net, losses, 4);
      net.x[3] = 1.5;
      net.w1[3] = 1.5;
      net.w2[1] = -1;
      net.y[2] = 4;
      steps(net, losses, 4);
    });
  });
});

describe("refused updates", () => {
  it("an f32 network whose update overflows stops as diverged, its weights finite; step throws NON_FINITE and changes no weight", async () => {
    const result = await train({ dtype: "f32", learningRate: 5e-6, iterations: 50, ...gram });
    expect(result.status).toBe("diverged");
    const net = await TwoLayerNet.create({ dtype: "f32", ...gram });
    let error: unknown;
    try {
      for (let t = 0; t < 50; t++) net.step(5e-6);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TwoLayerError);
    expect((error as TwoLayerError).code).toBe("NON_FINITE");
    expect((error as TwoLayerError).message).toMatch(/this update would make (w2\[\d+\]|w1 through the Gram form's S\[\d+\]|the next pass's h = x·w1 at h\[\d+\]) (-?inf|nan).*the weights are unchanged/);
    const [w1, w2] = [Float32Array.from(net.w1), Float32Array.from(net.w2)];
    expect(w1.every(Number.isFinite) && w2.every(Number.isFinite)).toBe(true);
    expect(() => net.update(5e-6)).toThrow(/NON_FINITE|would make/);
    expectSame(net.w1, w1, "w1 after a refused update");
    expectSame(net.w2, w2, "w2 after a refused update");
    net.dispose();
  });

  it("a refused update of h (S and w2 staying finite) leaves the network training as the direct one", async () => {
    // Large x makes K·grad_h much larger than grad_h, so some rate overflows h alone.
    const sizes = { n: 4, dIn: 9, hidden: 3, dOut: 2, seed: 1 };
    const x = Float64Array.from({ length: 4 * 9 }, (_, i) => 1e3 * Math.cos(i));
    // The smallest power of ten whose update is refused, each tried on a fresh network.
    let net: TwoLayerNet | undefined;
    let message = "";
    for (let e = 250; e <= 308 && net === undefined; e++) {
      const candidate = await TwoLayerNet.create({ ...sizes, x, ...gram });
      candidate.forwardBackward();
      try {
        candidate.update(10 ** e);
        candidate.dispose();
      } catch (error) {
        [net, message] = [candidate, (error as Error).message];
      }
    }
    expect(message).toMatch(/^this update would make the next pass's h = x·w1 at h\[\d+\] (-?inf|nan); the weights are unchanged/);
    if (net === undefined) return;
    const direct = await TwoLayerNet.create({ ...sizes, x });
    expectSame(net.w2, direct.w2, "w2 unchanged");
    expect(relativeTo(net.w1, direct.w1)).toBe(0);
    const [a, b] = [Array.from({ length: 5 }, () => net.step(1e-12)), Array.from({ length: 5 }, () => direct.step(1e-12))];
    expectTrajectory(Float64Array.from(a), b, 1e-12, "after the refusal");
    [net, direct].forEach((n) => n.dispose());
  });

  it('onNonFinite: "continue" and allowNonFinite let non-finite values through, as numpy does', async () => {
    const result = await train({ dtype: "f32", learningRate: 5e-6, iterations: 30, onNonFinite: "continue", ...gram });
    expect(result.status).toBe("completed");
    const net = await TwoLayerNet.create({ dtype: "f32", allowNonFinite: true, ...gram });
    for (let t = 0; t < 30; t++) net.step(5e-6);
    expect(Array.from(net.w1).some((v) => !Number.isFinite(v)) || Array.from(net.w2).some((v) => !Number.isFinite(v))).toBe(true);
    net.dispose();
  });
});

describe("an x whose K = x·xᵀ overflows, though x is finite", () => {
  const sizes = { n: 5, dIn: 12, hidden: 3, dOut: 2, seed: 3 };
  const message = (type: string, at: string, what: string) =>
    `x is too large for the Gram form: K = x·xᵀ overflows ${type} at ${at} = inf, ${what}, though x is finite; scale x down, or train it with algorithm "direct", which never forms K`;
  /** x of `sizes` filled with 1e-3, `value` at `index`s. */
  const xWith = (value: number, ...indices: number[]) => {
    const x = new Float64Array(sizes.n * sizes.dIn).fill(1e-3);
    for (const i of indices) x[i] = value;
    return x;
  };
  const refusal = async (call: () => Promise<unknown>) => (await call().then(() => undefined, (e: unknown) => e)) as TwoLayerError;

  it("is refused by create and train, every backend and dtype, naming the row; direct, which forms no K, takes it", async () => {
    // w1 as small as x is large keeps h, and so the direct form's loss, finite.
    const cases = [
      { options: {}, x: xWith(1e160, 0), w1: 1e-163, text: message("float64", "K[0][0]", "the squared norm of x's row 0") },
      { options: { backend: "js" }, x: xWith(1e160, 0), w1: 1e-163, text: message("float64", "K[0][0]", "the squared norm of x's row 0") },
      { options: { simd: false }, x: xWith(1e155, 2 * 12 + 4, 3 * 12 + 4), w1: 1e-158, text: message("float64", "K[2][2]", "the squared norm of x's row 2") },
      { options: { dtype: "f32" }, x: xWith(1e20, 12 + 1), w1: 1e-22, text: message("float32", "K[1][1]", "the squared norm of x's row 1") },
      { options: { dtype: "f32", backend: "js" }, x: xWith(3e19, 12 + 7), w1: 1e-21, text: message("float32", "K[1][1]", "the squared norm of x's row 1") },
    ] as const;
    for (const { options, x, w1: scale, text } of cases) {
      const w1 = new Float64Array(sizes.dIn * sizes.hidden).fill(scale);
      for (const call of [() => train({ ...sizes, ...options, ...gram, x, w1, iterations: 3 }), () => TwoLayerNet.create({ ...sizes, ...options, ...gram, x, w1 })]) {
        const error = await refusal(call);
        expect(error, JSON.stringify(options)).toBeInstanceOf(TwoLayerError);
        expect([error.code, error.option, error.message]).toEqual(["INVALID_ARRAY", "x", text]);
      }
      const direct = await TwoLayerNet.create({ ...sizes, ...options, x, w1 });
      expect(Number.isFinite(direct.forwardBackward()), JSON.stringify(options)).toBe(true);
      direct.dispose();
    }
  });

  it("names the row whose squared norm overflows, not the first dot product that does", async () => {
    // K[0][0] = 1e300 is finite; K[0][1] = 1e350 and K[1][1] = 1e400 are not: row 1 is the one too large.
    const error = await refusal(() => TwoLayerNet.create({ ...sizes, ...gram, x: xWith(1e-3).fill(1e150, 0, 1).fill(1e200, 12, 13) }));
    expect(error.message).toBe(message("float64", "K[1][1]", "the squared norm of x's row 1"));
  });

  it("on threads too, at creation", async () => {
    const big = { n: 64, dIn: 100, hidden: 64, dOut: 3, threads: 2, ...gram };
    const x = new Float64Array(64 * 100).fill(1e-3);
    x[63 * 100 + 99] = 1e200;
    const error = await refusal(() => TwoLayerNet.create({ ...big, x }));
    expect([error.code, error.message]).toEqual(["INVALID_ARRAY", message("float64", "K[63][63]", "the squared norm of x's row 63")]);
    const net = await TwoLayerNet.create(big);
    expect(net.threadsUsed).toBe(2);
    net.dispose();
  });

  it("written through net.x: the next step refuses it, w1 unchanged; x restored, training goes on as a fresh network's", async () => {
    for (const options of [{}, { threads: 2, n: 64, dIn: 100, hidden: 64 }]) {
      const net = await TwoLayerNet.create({ ...sizes, ...options, ...gram });
      const fresh = await TwoLayerNet.create({ ...sizes, ...options, ...gram });
      const saved = Float64Array.from(net.x);
      const w1 = Float64Array.from(net.w1);
      net.x[0] = 1e200;
      for (const call of [() => net.step(1e-3), () => net.forwardBackward(), () => net.update(1e-3)]) {
        expect(call).toThrow(/^x is too large for the Gram form: K = x·xᵀ overflows float64 at K\[0\]\[0\] = inf/);
      }
      expectSame(net.w1, w1, "w1 after the refusals");
      net.x.set(saved);
      expect(net.step(1e-3)).toBe(fresh.step(1e-3));
      expect(net.step(1e-3)).toBe(fresh.step(1e-3));
      [net, fresh].forEach((n) => n.dispose());
    }
  });

  it("a non-finite x let in by allowNonFinite is not this error: K is then numpy's, NaN and all", async () => {
    const net = await TwoLayerNet.create({ ...sizes, ...gram, x: xWith(NaN, 0), allowNonFinite: true });
    expect(Number.isNaN(net.forwardBackward())).toBe(true);
    net.dispose();
  });

  it("the command line says it in one line, exit 2, and names --algorithm direct", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { writeNpy } = await import("../src/index.js");
    const dir = mkdtempSync(join(tmpdir(), "twolayer-gram-"));
    writeFileSync(join(dir, "x.npy"), writeNpy({ data: xWith(1e160, 0), shape: [sizes.n, sizes.dIn] }));
    writeFileSync(join(dir, "y.npy"), writeNpy({ data: new Float64Array(sizes.n * sizes.dOut), shape: [sizes.n, sizes.dOut] }));
    const files = ["--x", join(dir, "x.npy"), "--y", join(dir, "y.npy"), "--hidden", "3", "--iterations", "3", "--quiet"];
    const refused = run(["train", "--algorithm", "gram", ...files]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe("twolayer: x is too large for the Gram form: K = x·xᵀ overflows float64 at K[0][0] = inf, the squared norm of x's row 0, though x is finite; scale x down, or train it with --algorithm direct, which never forms K\n");
    // The direct form runs it (no K), and here its loss overflows as the data does, said as that.
    const direct = run(["train", ...files]);
    expect(direct.status, direct.stderr).toBe(3);
    expect(direct.stderr).toMatch(/^twolayer: the loss became inf at iteration 0, before any update changed the weights, so the learning rate is not the cause: the data and weights overflow float64; scale them down\n/);
  });
});

describe("N ≥ D_in, sizes and options", () => {
  it("runs the direct program, saying so, and the same bits as asking for it", async () => {
    for (const sizes of [{ n: 10, dIn: 10, hidden: 3, dOut: 2 }, { n: 12, dIn: 5, hidden: 3, dOut: 2 }]) {
      const [asked, direct] = [await train({ ...sizes, ...gram, iterations: 30 }), await train({ ...sizes, iterations: 30 })];
      expect(asked.algorithmUsed).toBe("direct");
      expect(asked.config.algorithm).toBe("gram");
      expect(asked.fallbacks).toEqual([`algorithm "gram" saves work only when N < D_in (here N = ${sizes.n}, D_in = ${sizes.dIn}: K = x·xᵀ would be as large as the products it replaces); ran "direct"`]);
      expectSame(asked.losses, direct.losses, "losses");
      expect(TwoLayerNet.bytesFor({ ...sizes, ...gram })).toBe(TwoLayerNet.bytesFor(sizes));
      expect(flopsPerStep({ ...sizes, ...gram })).toBe(flopsPerStep(sizes));
    }
  });

  it("a gram network reserves its blocks and counts the products it runs", async () => {
    const S = 8;
    const [N, D, H, O] = [64, 1000, 100, 10];
    const extra = S * (N * D + N * N + N * N + 3 * N * H + gramScratchLength(N, O, H) + 2 * D * H); // xUsed, K, its panels, S, S_next and h_next, the kernels' scratch, w1₀ and w1Seen
    expect(TwoLayerNet.bytesFor(gram) - TwoLayerNet.bytesFor()).toBeGreaterThanOrEqual(extra);
    expect(TwoLayerNet.bytesFor(gram) - TwoLayerNet.bytesFor()).toBeLessThan(extra + 16 * 16);
    expect(flopsPerStep(gram)).toBe(2 * N * H * (N + 3 * O));
    const net = await TwoLayerNet.create(gram);
    expect(net.algorithmUsed).toBe("gram");
    expect(flopsPerStep(net)).toBe(2 * N * H * (N + 3 * O));
    expect(flopsPerStep()).toBe(2 * N * H * (2 * D + 3 * O));
    net.dispose();
  });

  it("a bad algorithm is an INVALID_OPTION naming the option and the choices, everywhere options are read", async () => {
    for (const algorithm of ["fast", "Gram", "", 1, true, null]) {
      const calls = [() => train({ algorithm } as never), () => TwoLayerNet.create({ algorithm } as never), async () => TwoLayerNet.bytesFor({ algorithm } as never), async () => flopsPerStep({ algorithm } as never)];
      for (const call of calls) {
        const error = await call().then(() => undefined, (e: unknown) => e);
        expect(error, JSON.stringify(algorithm)).toBeInstanceOf(TwoLayerError);
        expect((error as TwoLayerError).code).toBe("INVALID_OPTION");
        expect((error as TwoLayerError).option).toBe("algorithm");
        expect((error as TwoLayerError).message).toMatch(/algorithm.*"direct", "gram"/);
      }
    }
  });
});

describe("the command line", () => {
  it("--algorithm gram trains numpy's losses and says so; --json records it", async () => {
    const { mkdtempSync, readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const json = join(mkdtempSync(join(tmpdir(), "twolayer-gram-")), "run.json");
    const { status, stdout, stderr } = run(["train", "--algorithm", "gram", "--quiet", "--json", json]);
    expect(status, stderr).toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/wasm-simd f64, 500 iterations, loss 26365524\.19345\d* -> 6\.9470190495\d*e-05, .*, gram, json /);
    const written = JSON.parse(readFileSync(json, "utf8"));
    expect(written.config.algorithm).toBe("gram");
    expectTrajectory(Float64Array.from(written.losses), seed0.losses, 1e-9, "CLI gram");
  });

  it("--algorithm with a bad value names the choices; N ≥ D_in says it ran direct", () => {
    const bad = run(["train", "--algorithm", "fast"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('twolayer: --algorithm takes direct or gram, got "fast"\n');
    const small = run(["train", "--algorithm", "gram", "--n", "3", "--d-in", "2", "--hidden", "2", "--d-out", "1", "--iterations", "3", "--quiet"]);
    expect(small.status, small.stderr).toBe(0);
    expect(small.stderr).toMatch(/^twolayer: algorithm "gram" saves work only when N < D_in \(here N = 3, D_in = 2/);
  });
});
