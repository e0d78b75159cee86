// The line stepper (net.runLine, net.nextLine) and the views it shows: stepping every line of an
// iteration is step(), bit for bit; stepping mixes with step(), forwardBackward(), update() and
// train(); after each line the views hold what a plain float64 reference of that numpy line gives;
// bad indices and updates are typed TwoLayerErrors.
import { describe, expect, it } from "vitest";
import { PROGRAM, TwoLayerError, TwoLayerNet, type NetOptions } from "../src/index.js";
import { expectClose, expectSame } from "./harness.js";

const LR = 1e-3;
const ODD = { n: 3, dIn: 5, hidden: 7, dOut: 2, seed: 11 } as const;
const CONFIGS: [string, NetOptions][] = [
  ["wasm SIMD f64, odd sizes", { ...ODD }],
  ["wasm scalar f64, odd sizes", { ...ODD, simd: false }],
  ["js f64, odd sizes", { ...ODD, backend: "js" }],
  ["wasm SIMD f32, odd sizes", { ...ODD, dtype: "f32" }],
  ["wasm SIMD f64, 17×33×9×5", { n: 17, dIn: 33, hidden: 9, dOut: 5, seed: 2024 }],
  ["wasm SIMD f64, tutorial sizes", {}],
];
const VIEWS = ["w1", "w2", "h", "hRelu", "yPred", "gradYPred", "gradW2", "gradH", "gradW1"] as const;

function expectSameState(a: TwoLayerNet, b: TwoLayerNet, label: string): void {
  for (const view of VIEWS) expectSame(a[view], b[view], `${label}: ${view}`);
}

describe("PROGRAM", () => {
  it("lists the loop body's ten kernel calls, as the numpy program writes it", () => {
    expect(PROGRAM.map((line) => line.writes)).toEqual(["h", "h_relu", "y_pred", "grad_y_pred", "grad_w2", "grad_h_relu", "grad_h", "grad_w1", "w1", "w2"]);
    expect(PROGRAM.flatMap((line) => line.numpy)).toEqual([
      "h = x.dot(w1)",
      "h_relu = np.maximum(h, 0)",
      "y_pred = h_relu.dot(w2)",
      "loss = np.square(y_pred - y).sum()",
      "grad_y_pred = 2.0 * (y_pred - y)",
      "grad_w2 = h_relu.T.dot(grad_y_pred)",
      "grad_h_relu = grad_y_pred.dot(w2.T)",
      "grad_h = grad_h_relu.copy()",
      "grad_h[h < 0] = 0",
      "grad_w1 = x.T.dot(grad_h)",
      "w1 -= learning_rate * grad_w1",
      "w2 -= learning_rate * grad_w2",
    ]);
    expect(Object.isFrozen(PROGRAM) && PROGRAM.every((line) => Object.isFrozen(line) && Object.isFrozen(line.numpy))).toBe(true);
  });
});

describe.each(CONFIGS)("stepping line by line, %s", (_, options) => {
  it("every line of three iterations gives step()'s state and losses bit for bit", async () => {
    const lines = await TwoLayerNet.create(options);
    const steps = await TwoLayerNet.create(options);
    try {
      for (let t = 0; t < 3; t++) {
        let loss: number | undefined;
        for (let i = 0; i < PROGRAM.length; i++) {
          expect(lines.nextLine).toBe(i);
          const got = lines.runLine(undefined, LR);
          if (i === 3) loss = got;
          else expect(got).toBeUndefined();
        }
        expect(lines.nextLine).toBe(0);
        const want = steps.step(LR);
        expect(Object.is(loss, want), `iteration ${t}: ${loss} vs ${want}`).toBe(true);
        expectSameState(lines, steps, `iteration ${t}`);
      }
    } finally {
      lines.dispose();
      steps.dispose();
    }
  });

  it("step() finishes an iteration in progress; forwardBackward, update and train leave nextLine where they end", async () => {
    for (let stop = 1; stop < PROGRAM.length; stop++) {
      const mixed = await TwoLayerNet.create(options);
      const steps = await TwoLayerNet.create(options);
      try {
        for (let i = 0; i < stop; i++) mixed.runLine(i, LR);
        const first = mixed.step(LR);
        expect(mixed.nextLine).toBe(0);
        const second = mixed.step(LR);
        expect(Object.is(first, steps.step(LR)), `stopped before line ${stop}`).toBe(true);
        expect(Object.is(second, steps.step(LR)), `stopped before line ${stop}, then a whole step`).toBe(true);
        expectSameState(mixed, steps, `stopped before line ${stop}`);
      } finally {
        mixed.dispose();
        steps.dispose();
      }
    }
    const net = await TwoLayerNet.create(options);
    const twin = await TwoLayerNet.create(options);
    try {
      net.forwardBackward();
      expect(net.nextLine).toBe(8);
      net.runLine(8, LR);
      net.runLine(9, LR);
      expect(net.nextLine).toBe(0);
      twin.step(LR);
      expectSameState(net, twin, "forwardBackward, then the update lines");
      net.runLine(0, LR);
      net.forwardBackward();
      net.update(LR);
      expect(net.nextLine).toBe(0);
      net.runLine(0, LR);
      await net.train({ iterations: 2, learningRate: LR });
      expect(net.nextLine).toBe(0);
      await twin.train({ iterations: 3, learningRate: LR });
      expectSameState(net, twin, "update and train after a line");
    } finally {
      net.dispose();
      twin.dispose();
    }
  });
});

/** The numpy program, plainly, in float64: one function per PROGRAM entry. */
function reference(s: { n: number; dIn: number; hidden: number; dOut: number }) {
  const { n, dIn, hidden, dOut } = s;
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, cols: number, ta = false, tb = false) => {
    const c = new Float64Array(m * cols);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < cols; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * cols + j]);
        c[i * cols + j] = sum;
      }
    return c;
  };
  type Views = Record<"x" | "y" | "w1" | "w2" | "h" | "hRelu" | "yPred" | "gradYPred" | "gradW2" | "gradH" | "gradW1", ArrayLike<number>>;
  return [
    (v: Views) => ({ h: dot(v.x, v.w1, n, dIn, hidden) }),
    (v: Views) => ({ hRelu: Array.from(v.h, (x) => Math.max(x, 0)) }),
    (v: Views) => ({ yPred: dot(v.hRelu, v.w2, n, hidden, dOut) }),
    (v: Views) => ({ gradYPred: Array.from(v.yPred, (p, i) => 2 * (p - v.y[i])) }),
    (v: Views) => ({ gradW2: dot(v.hRelu, v.gradYPred, hidden, n, dOut, true) }),
    (v: Views) => ({ gradH: dot(v.gradYPred, v.w2, n, dOut, hidden, false, true) }),
    (v: Views) => ({ gradH: Array.from(v.gradH, (g, i) => (v.h[i] < 0 ? 0 : g)) }),
    (v: Views) => ({ gradW1: dot(v.x, v.gradH, dIn, n, hidden, true) }),
    (v: Views) => ({ w1: Array.from(v.w1, (w, i) => w - LR * v.gradW1[i]) }),
    (v: Views) => ({ w2: Array.from(v.w2, (w, i) => w - LR * v.gradW2[i]) }),
  ];
}

describe.each(CONFIGS.filter(([, o]) => o.dtype !== "f32"))("the views after each line, %s", (_, options) => {
  it("equal a plain float64 reference of that numpy line, the loss too, and no other view moves", async () => {
    const net = await TwoLayerNet.create(options);
    try {
      const lines = reference(net);
      const names = ["x", "y", ...VIEWS] as const;
      const snapshot = () => Object.fromEntries(names.map((name) => [name, Float64Array.from(net[name])])) as Record<(typeof names)[number], Float64Array>;
      for (let t = 0; t < 2; t++) {
        for (let i = 0; i < PROGRAM.length; i++) {
          const before = snapshot();
          const loss = net.runLine(i, LR);
          const want = lines[i](before) as Partial<Record<string, ArrayLike<number>>>;
          for (const name of names) {
            const label = `iteration ${t}, line ${i} (${PROGRAM[i].writes}): ${name}`;
            if (want[name] === undefined) expectSame(net[name], before[name], label);
            else expectClose(net[name], want[name]!, (j) => 1e-12 * (1 + Math.abs(want[name]![j])), label);
          }
          if (i === 3) {
            const sse = before.yPred.reduce((sum, p, j) => sum + (p - before.y[j]) ** 2, 0);
            expect(Math.abs(loss! - sse)).toBeLessThanOrEqual(1e-12 * sse);
          }
        }
      }
    } finally {
      net.dispose();
    }
  });
});

describe("bad lines are typed TwoLayerErrors", () => {
  it("refuses an index outside PROGRAM, a non-integer, a bad rate, and a disposed network, changing nothing", async () => {
    const net = await TwoLayerNet.create(ODD);
    const before = Float64Array.from(net.w1);
    for (const bad of [-1, PROGRAM.length, 1.5, NaN, Infinity, "0", null]) {
      const error = (() => { try { net.runLine(bad as number); } catch (e) { return e; } })();
      expect(error, String(bad)).toBeInstanceOf(TwoLayerError);
      expect((error as TwoLayerError).code).toBe("INVALID_OPTION");
      expect((error as TwoLayerError).option).toBe("line");
      expect((error as TwoLayerError).message).toMatch(/^line \(an index into PROGRAM\) must be an integer from 0 to 9, got /);
    }
    expect(() => net.runLine(8, -1)).toThrow(expect.objectContaining({ code: "INVALID_OPTION", option: "learningRate" }));
    expect(net.nextLine).toBe(0);
    expectSame(net.w1, before, "w1 after refusals");
    net.dispose();
    expect(() => net.runLine(0)).toThrow(expect.objectContaining({ code: "DISPOSED" }));
  });

  it("refuses an update line that would make its weight non-finite, naming it, and leaves it unchanged", async () => {
    const net = await TwoLayerNet.create({ ...ODD, w2: new Array(ODD.hidden * ODD.dOut).fill(1e300) });
    for (let i = 0; i < 8; i++) net.runLine(i);
    const w1 = Float64Array.from(net.w1);
    const w2 = Float64Array.from(net.w2);
    const error = (() => { try { net.runLine(9, 1e10); } catch (e) { return e; } })() as TwoLayerError;
    expect(error).toBeInstanceOf(TwoLayerError);
    expect(error.code).toBe("NON_FINITE");
    expect(error.message).toMatch(/^this update would make w2\[\d+\] (-?inf|nan); the weights are unchanged/);
    expect(net.nextLine).toBe(8);
    expectSame(net.w1, w1, "w1");
    expectSame(net.w2, w2, "w2");
    net.dispose();
  });

  it("a Gram-form network refuses runLine (its iteration is other kernels) and steps by iterations as a twin that never tried", async () => {
    const gram = { ...ODD, dIn: 13, algorithm: "gram" } as const;
    const net = await TwoLayerNet.create(gram);
    const twin = await TwoLayerNet.create(gram);
    try {
      expect(net.algorithmUsed).toBe("gram");
      for (const line of [0, 3, 8, undefined]) {
        expect(() => net.runLine(line), String(line)).toThrow(expect.objectContaining({ code: "INVALID_OPTION", option: "algorithm" }));
      }
      expect(net.nextLine).toBe(0);
      net.forwardBackward();
      expect(net.nextLine).toBe(8);
      const losses = [net.step(LR), net.step(LR), net.step(LR)];
      expect(net.nextLine).toBe(0);
      const twinLosses = [twin.step(LR), twin.step(LR), twin.step(LR)];
      // forwardBackward then step(): the step only updates (the pass is done), so both ran three updates.
      expectSame(Float64Array.from(losses), Float64Array.from(twinLosses), "losses");
      expectSame(net.w1, twin.w1, "w1");
    } finally {
      net.dispose();
      twin.dispose();
    }
  });
});
