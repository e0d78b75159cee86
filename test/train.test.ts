// The whole program against numpy: every loss of the fixture runs (scripts/make-fixtures.py), on
// every backend, plus float32, a finite-difference gradient check, NaN propagation, writes through
// net.x reaching the packed copy, and the smallest network on every backend and option.
import { describe, expect, it } from "vitest";
import { train, TwoLayerNet } from "../src/index.js";
import fixture from "./fixtures/losses.json";
import { expectSame, expectTrajectory } from "./harness.js";

type Run = (typeof fixture.runs)[number];
const [seed0, ...others] = fixture.runs as Run[];

describe("the tutorial's seed run against numpy (float64, 500 iterations)", () => {
  it("is the tutorial's configuration", () => {
    expect(seed0.config).toEqual({ n: 64, dIn: 1000, hidden: 100, dOut: 10, iterations: 500, learningRate: 1e-6, seed: 0 });
  });

  for (const [backend, simd] of [["wasm", "auto"], ["wasm", false], ["js", "auto"]] as const) {
    it(`${backend}${simd === false ? " (scalar build)" : ""}: all 500 losses within 1e-9 relative`, async () => {
      const result = await train({ ...seed0.config, backend, simd });
      expect(result.backend).toBe(backend === "js" ? "js" : simd === false ? "wasm-scalar" : "wasm-simd");
      expectTrajectory(result.losses, seed0.losses, 1e-9, `seed 0 ${result.backend}`);
      // The check values the issue quotes (numpy 2.4.6 with OpenBLAS on an AVX-512 machine).
      expect(Math.abs(result.losses[0] / 26365524.19345431 - 1)).toBeLessThan(1e-9);
      expect(Math.abs(result.losses[499] / 6.947019049596736e-5 - 1)).toBeLessThan(1e-9);
    });
  }
});

describe("other configurations against numpy (float64)", () => {
  for (const run of others) {
    const label = Object.entries(run.config).map(([k, v]) => `${k}=${v}`).join(" ");
    it.each(["wasm", "js"] as const)(`%s: ${label} within 1e-8 relative`, async (backend) => {
      const result = await train({ ...run.config, backend });
      expectTrajectory(result.losses, run.losses, 1e-8, `${label} ${backend}`);
    });
  }
});

describe("float32", () => {
  it("follows numpy's float64 run while the loss is large and flattens near 2.4e-4", async () => {
    const wasm = await train({ dtype: "f32" });
    const js = await train({ dtype: "f32", backend: "js", iterations: 300 });
    expect(wasm.dtype).toBe("f32");
    expectTrajectory(wasm.losses.subarray(0, 300), seed0.losses.slice(0, 300), 1e-3, "f32 wasm vs numpy f64");
    expectTrajectory(js.losses, seed0.losses.slice(0, 300), 1e-3, "f32 js vs numpy f64");
    const last = wasm.losses[499];
    expect(last).toBeGreaterThan(1e-4);
    expect(last).toBeLessThan(1e-3);
  });
});

describe("gradients", () => {
  it("match central finite differences of the loss for every weight (float64)", async () => {
    for (const backend of ["wasm", "js"] as const) {
      const net = await TwoLayerNet.create({ n: 4, dIn: 5, hidden: 7, dOut: 3, seed: 5, backend });
      net.forwardBackward();
      const analytic = [Float64Array.from(net.gradW1), Float64Array.from(net.gradW2)];
      const weights = [net.w1, net.w2];
      for (const [which, w] of weights.entries()) {
        for (let i = 0; i < w.length; i++) {
          const eps = 1e-6;
          const saved = w[i];
          w[i] = saved + eps;
          const up = net.forwardBackward();
          w[i] = saved - eps;
          const down = net.forwardBackward();
          w[i] = saved;
          const numeric = (up - down) / (2 * eps);
          const want = analytic[which][i];
          const error = Math.abs(numeric - want);
          if (!(error <= 1e-6 * Math.max(1, Math.abs(want)))) {
            expect.fail(`${backend} grad_w${which + 1}[${i}]: analytic ${want}, finite difference ${numeric}`);
          }
        }
      }
      net.dispose();
    }
  });

  it("step(lr) is forwardBackward then w −= lr·grad", async () => {
    const net = await TwoLayerNet.create({ n: 3, dIn: 4, hidden: 5, dOut: 2, seed: 9 });
    const loss = net.forwardBackward();
    const want1 = Float64Array.from(net.w1, (w, i) => w - 0.01 * net.gradW1[i]);
    const want2 = Float64Array.from(net.w2, (w, i) => w - 0.01 * net.gradW2[i]);
    expect(net.step(0.01)).toBe(loss);
    expect(Array.from(net.w1)).toEqual(Array.from(want1));
    expect(Array.from(net.w2)).toEqual(Array.from(want2));
    net.dispose();
  });
});

describe("special values", () => {
  it("a NaN in x (allowed explicitly) propagates to the loss, as in numpy", async () => {
    const x = new Float64Array(2 * 3).fill(1);
    x[4] = NaN;
    for (const backend of ["wasm", "js"] as const) {
      const { losses } = await train({ n: 2, dIn: 3, hidden: 4, dOut: 2, iterations: 2, x, allowNonFinite: true, backend });
      expect(Number.isNaN(losses[0]), backend).toBe(true);
    }
  });

  it("an all-zero x gives h = 0, so no ReLU gradient is masked and w1 does not move", async () => {
    const net = await TwoLayerNet.create({ n: 2, dIn: 3, hidden: 4, dOut: 2, x: new Float64Array(6) });
    const w1 = Float64Array.from(net.w1);
    net.step(0.1);
    expect(Array.from(net.h)).toEqual(new Array(8).fill(0));
    expect(Array.from(net.w1)).toEqual(Array.from(w1));
    net.dispose();
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
