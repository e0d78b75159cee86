// The Gram form on several threads (src/threads/gram-parts.ts): hidden units cut into parts, one per
// thread, y_pred summed part by part. Checked bit for bit against the plain TypeScript kernels run
// the same way (the SIMD build without FMA computes every element as they do), on odd shapes and 2
// and 3 threads; against one thread and numpy over whole runs; and for what readers see, refusals,
// re-bases and the loop's shortcut (the backward pass run in the update's job).
import { describe, expect, it } from "vitest";
import { train, TwoLayerError, TwoLayerNet } from "../src/index.js";
import { accumulate, gemm_nn, gemm_nt, gemm_tn, relu_forward, sgd } from "../src/js-kernels.js";
import { gemm_nt_mask } from "../src/js-gram-kernels.js";
import fixture from "./fixtures/losses.json";
import { expectSame, expectTrajectory } from "./harness.js";

const gram = { algorithm: "gram" } as const;

/** Shapes whose h update (N²·H) is large enough to be cut into parts: odd sizes, tails, H = 5 over 2 and 3 threads. */
const SHAPES = [
  { n: 67, dIn: 131, hidden: 61, dOut: 7, seed: 3 },
  { n: 240, dIn: 257, hidden: 5, dOut: 3, seed: 5 },
  { n: 64, dIn: 1000, hidden: 100, dOut: 10, seed: 0 },
];

/** The documented cut: part p of P holds hidden units [⌊p·H/P⌋, ⌊(p+1)·H/P⌋). */
const cut = (hidden: number, parts: number) => Array.from({ length: parts + 1 }, (_, p) => Math.floor((p * hidden) / parts));

/** Columns [c0, c1) of an n×H matrix, as an n×(c1 − c0) one. */
function columns(a: Float64Array, n: number, H: number, c0: number, c1: number): Float64Array {
  const out = new Float64Array(n * (c1 - c0));
  for (let r = 0; r < n; r++) out.set(a.subarray(r * H + c0, r * H + c1), r * (c1 - c0));
  return out;
}

/** y_pred = h_relu·w2 summed part by part: each part's units in increasing order from +0, the parts added in order. */
function yPredByParts(hRelu: Float64Array, w2: Float64Array, n: number, H: number, dOut: number, parts: number): Float64Array {
  const edges = cut(H, parts);
  const y = new Float64Array(n * dOut);
  for (let p = 0; p < parts; p++) {
    const part = new Float64Array(n * dOut);
    gemm_nn(part, columns(hRelu, n, H, edges[p], edges[p + 1]), w2.slice(edges[p] * dOut, edges[p + 1] * dOut), n, edges[p + 1] - edges[p], dOut);
    if (p === 0) y.set(part);
    else accumulate(y, part, n * dOut);
  }
  return y;
}

/**
 * The loss and grad_y_pred as the SIMD build computes them (assembly/loss.ts): Σ(y_pred − y)² with
 * even and odd i summed apart, then added, then the odd tail.
 */
function simdLoss(grad: Float64Array, pred: Float64Array, y: Float64Array): number {
  let [even, odd] = [0, 0];
  let i = 0;
  for (; i + 2 <= pred.length; i += 2) {
    const [d0, d1] = [pred[i] - y[i], pred[i + 1] - y[i + 1]];
    [grad[i], grad[i + 1]] = [2 * d0, 2 * d1];
    [even, odd] = [even + d0 * d0, odd + d1 * d1];
  }
  let sum = even + odd;
  for (; i < pred.length; i++) {
    const d = pred[i] - y[i];
    grad[i] = 2 * d;
    sum += d * d;
  }
  return sum;
}

describe("one step, bit for bit with the plain kernels cut the same way (wasm SIMD, no FMA)", () => {
  for (const shape of SHAPES) {
    for (const threads of [2, 3]) {
      for (const how of ["forwardBackward, then update", "step", "forwardBackward, then update, allowNonFinite"] as const) {
        it(`${JSON.stringify(shape)}, ${threads} threads, ${how}`, async () => {
          const { n, dIn, hidden: H, dOut } = shape;
          const lr = 1e-6;
          const net = await TwoLayerNet.create({ ...shape, ...gram, threads, allowNonFinite: how.endsWith("allowNonFinite") });
          expect(net.threadsUsed).toBe(threads);
          const [x, y, w1, w2] = [net.x, net.y, net.w1, net.w2].map((a) => Float64Array.from(a));
          const parts = Math.min(threads, H);

          // The pass: h = x·w1, then the program's lines, y_pred by parts.
          const h = new Float64Array(n * H);
          gemm_nn(h, x, w1, n, dIn, H);
          const hRelu = new Float64Array(n * H);
          relu_forward(hRelu, h, n * H);
          const yPred = yPredByParts(hRelu, w2, n, H, dOut, parts);
          const gradYPred = new Float64Array(n * dOut);
          const loss = simdLoss(gradYPred, yPred, y);
          const gradW2 = new Float64Array(H * dOut);
          gemm_tn(gradW2, hRelu, gradYPred, H, n, dOut);
          const gradH = new Float64Array(n * H);
          gemm_nt_mask(gradH, gradYPred, w2, h, n, dOut, H);

          expect(how === "step" ? net.step(lr) : net.forwardBackward()).toBe(loss);
          for (const [name, want] of [["yPred", yPred], ["gradYPred", gradYPred], ["gradW2", gradW2], ["gradH", gradH]] as const) {
            expectSame(net[name], want, `${name} of the pass`);
          }
          if (how !== "step") {
            // Before the update, h and h_relu are this pass's (after it they still are).
            expectSame(net.h, h, "h");
            expectSame(net.hRelu, hRelu, "h_relu");
            net.update(lr);
          }
          expectSame(net.h, h, "h after the update");

          // The update: the next h = h − lr·K·grad_h (K = x·xᵀ), w2 −= lr·grad_w2, w1 = w1₀ − x.T·(lr·grad_h).
          const K = new Float64Array(n * n);
          gemm_nt(K, x, x, n, dIn, n);
          const kGradH = new Float64Array(n * H);
          gemm_nn(kGradH, K, gradH, n, n, H);
          const hNext = h.map((v, i) => v + -lr * kGradH[i]);
          sgd(w2, gradW2, lr, H * dOut);
          const s = gradH.map((g) => 0 - -lr * g);
          const xTS = new Float64Array(dIn * H);
          gemm_tn(xTS, x, s, dIn, n, H);
          sgd(w1, xTS, 1, dIn * H);

          net.forwardBackward();
          expectSame(net.h, hNext, "the next pass's h");
          expectSame(net.w2, w2, "w2");
          expectSame(net.w1, w1, "w1 (materialized)");
          net.dispose();
        });
      }
    }
  }
});

describe("whole runs", () => {
  it("the seed run on 2 and 3 threads is within 1e-9 of numpy (with FMA too), and repeats bit for bit", async () => {
    const seed0 = fixture.runs[0];
    for (const options of [{ threads: 2 }, { threads: 3 }, { threads: 2, fma: true }]) {
      const [a, b] = [await train({ ...seed0.config, ...gram, ...options }), await train({ ...seed0.config, ...gram, ...options })];
      expect(a.threadsUsed).toBe(options.threads);
      expectTrajectory(a.losses, seed0.losses, 1e-9, JSON.stringify(options));
      expectSame(b.losses, a.losses, `${JSON.stringify(options)} again`);
    }
  });

  it("the parts change the bits of y_pred only: 2 threads are not one thread's bits, and within 1e-12 of them over 100 iterations", async () => {
    const [one, two] = [await train({ ...gram, iterations: 100 }), await train({ ...gram, threads: 2, iterations: 100 })];
    expect(Array.from(two.losses).some((loss, t) => loss !== one.losses[t])).toBe(true);
    expectTrajectory(two.losses, Array.from(one.losses), 1e-12, "2 threads against 1");
  });

  it("train(), train() with an onIteration callback and step() give the same bits, and the same gradients after", async () => {
    const nets = [];
    for (const how of ["train", "onIteration", "step"] as const) {
      const net = await TwoLayerNet.create({ ...gram, threads: 2, fma: true });
      let losses: number[];
      if (how === "step") losses = Array.from({ length: 40 }, () => net.step());
      else {
        const seen: number[] = [];
        const result = await net.train({ iterations: 40, ...(how === "onIteration" ? { onIteration: (_t: number, loss: number) => void seen.push(net.gradW2[0] + loss) } : {}) });
        losses = Array.from(result.losses);
        if (how === "onIteration") expect(seen).toHaveLength(40);
      }
      nets.push({ how, net, losses });
    }
    for (const { how, net, losses } of nets.slice(1)) {
      expectSame(losses, nets[0].losses, `${how} losses`);
      for (const name of ["gradW2", "gradH", "gradW1", "w1", "w2", "h", "hRelu"] as const) expectSame(net[name], nets[0].net[name], `${how} ${name}`);
    }
    nets.forEach(({ net }) => net.dispose());
  });

  it("float32 on 2 threads follows numpy's run while the loss is large", async () => {
    const seed0 = fixture.runs[0];
    const result = await train({ ...seed0.config, ...gram, dtype: "f32", threads: 2, iterations: 60 });
    expectTrajectory(result.losses, seed0.losses.slice(0, 60), 1e-3, "f32, 2 threads");
  });
});

describe("refused updates on threads", () => {
  it("name the element one thread names, wherever its hidden unit sits (a planted w2 row in each part: the next h, then S, overflows)", async () => {
    for (const [unit, scale, refused] of [[0, 1e152, "h"], [49, 1e152, "h"], [50, 1e152, "h"], [77, 1e153, "S"], [99, 1e153, "S"], [33, 1e153, "S"]] as const) {
      const w2 = new Float64Array(100 * 10).fill(1e-3);
      w2.fill(scale, unit * 10, unit * 10 + 10);
      const messages: string[] = [];
      for (const threads of [1, 2, 3]) {
        const net = await TwoLayerNet.create({ ...gram, threads, w2 });
        net.forwardBackward();
        const before = [Float64Array.from(net.w1), Float64Array.from(net.w2)];
        let error: unknown;
        try {
          net.update(1e-6);
        } catch (e) {
          error = e;
        }
        expect(error, `unit ${unit}, ${threads} threads`).toBeInstanceOf(TwoLayerError);
        messages.push((error as Error).message);
        expectSame(net.w1, before[0], "w1 after the refusal");
        expectSame(net.w2, before[1], "w2 after the refusal");
        net.dispose();
      }
      expect(messages[0]).toMatch(refused === "h" ? /the next pass's h = x·w1 at h\[\d+\] (-?inf|nan)/ : /w1 through the Gram form's S\[\d+\] (-?inf|nan)/);
      const index = Number(/\[(\d+)\]/.exec(messages[0])![1]);
      expect(index % 100, `unit ${unit}: the refused element's column`).toBe(unit);
      expect(messages[1], `unit ${unit}`).toBe(messages[0]);
      expect(messages[2], `unit ${unit}`).toBe(messages[0]);
    }
  });

  it("an f32 run that overflows stops as diverged with its weights finite; step and update refuse and change no weight", async () => {
    const result = await train({ dtype: "f32", learningRate: 5e-6, iterations: 50, ...gram, threads: 2 });
    expect(result.status).toBe("diverged");
    expect(result.divergence?.message).toMatch(/would make (w2\[\d+\]|w1 through the Gram form's S\[\d+\]|the next pass's h = x·w1 at h\[\d+\]) (-?inf|nan)/);
    const nets = [await TwoLayerNet.create({ dtype: "f32", ...gram, threads: 2 }), await TwoLayerNet.create({ dtype: "f32", ...gram })];
    for (const net of nets) {
      expect(() => {
        for (let t = 0; t < 50; t++) net.step(5e-6);
      }).toThrow(/NON_FINITE|would make/);
      const [w1, w2] = [Float32Array.from(net.w1), Float32Array.from(net.w2)];
      expect(w1.every(Number.isFinite) && w2.every(Number.isFinite)).toBe(true);
      expect(() => net.update(5e-6)).toThrow(/would make/);
      expectSame(net.w1, w1, "w1 after a refused update");
      expectSame(net.w2, w2, "w2 after a refused update");
    }
    nets.forEach((net) => net.dispose());
  });
});

describe("re-basing and disposing on threads", () => {
  it("writes through x and w1 between steps take effect as on one thread", async () => {
    const nets = [await TwoLayerNet.create({ ...gram, threads: 2 }), await TwoLayerNet.create(gram)];
    const losses = nets.map((net) => {
      const out = [];
      for (let t = 0; t < 30; t++) {
        if (t === 10) net.x[7] = 3;
        if (t === 20) net.w1.fill(0.01, 0, 500);
        out.push(net.step());
      }
      return Float64Array.from(out);
    });
    expectTrajectory(losses[0], Array.from(losses[1]), 1e-12, "2 threads against 1");
    const w1 = Float64Array.from(nets[1].w1);
    let worst = 0;
    nets[0].w1.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - w1[i]) / (Math.abs(w1[i]) + 1e-300))));
    expect(worst).toBeLessThan(1e-9);
    nets.forEach((net) => net.dispose());
  });

  it("a disposed network's matrices throw DISPOSED", async () => {
    const net = await TwoLayerNet.create({ ...gram, threads: 2 });
    net.step();
    net.dispose();
    for (const name of ["h", "hRelu", "gradH", "gradW2", "w1", "gradW1"] as const) {
      expect(() => net[name][0], name).toThrow(expect.objectContaining({ code: "DISPOSED" }));
    }
    expect(() => net.step()).toThrow(expect.objectContaining({ code: "DISPOSED" }));
  });
});
