// The shared benchmark code (src/bench/): numpy's losses it carries, the row-streaming program's
// results (the same float64 bits as the js backend, numpy's losses on the seed run), the check that
// stops a wrong run from being timed, and the labels the configuration list makes.
import { describe, expect, it } from "vitest";
import {
  BENCH_CONTENDERS, CLI_CONTENDERS, LossMismatch, NUMPY_SEED_LOSSES, PAGE_CONTENDERS, QUICK_TIMING, SEED_SIZES, checkLosses, labelOf,
  measureSeedRuns, rowStreamingData, rowStreamingTrain, seedRunTable, type Create,
} from "../src/bench/index.js";
import { TwoLayerNet } from "../src/index.js";
import fixture from "./fixtures/losses.json";
import { expectSame, expectTrajectory } from "./harness.js";

const create: Create = (options) => TwoLayerNet.create(options);

describe("src/bench", () => {
  it("carries numpy's seed-run losses exactly as the fixture holds them", () => {
    expect(fixture.runs[0].config).toMatchObject({ ...SEED_SIZES, seed: 0, iterations: 500, learningRate: 1e-6 });
    expect(NUMPY_SEED_LOSSES).toEqual(fixture.runs[0].losses);
  });

  it("row-streaming JS: the js backend's float64 losses and weights bit for bit, on odd shapes", async () => {
    for (const sizes of [{ n: 1, dIn: 1, hidden: 1, dOut: 1 }, { n: 5, dIn: 7, hidden: 3, dOut: 2 }, { n: 13, dIn: 17, hidden: 9, dOut: 5 }]) {
      const data = rowStreamingData(sizes, "f64", 3);
      const net = await TwoLayerNet.create({ ...sizes, seed: 3, backend: "js" });
      expectSame(data.x, net.x, "x");
      const losses = rowStreamingTrain(data, sizes, 30, 1e-3);
      const result = await net.train({ iterations: 30, learningRate: 1e-3 });
      expectSame(losses, result.losses, `losses ${JSON.stringify(sizes)}`);
      expectSame(data.w1, net.w1, "w1");
      expectSame(data.w2, net.w2, "w2");
      net.dispose();
    }
  });

  it("row-streaming JS follows numpy on the seed run (f64 within 1e-9; f32 within 1e-3 while the loss is large)", () => {
    const f64 = rowStreamingTrain(rowStreamingData(SEED_SIZES, "f64"), SEED_SIZES, 40, 1e-6);
    expectTrajectory(f64, NUMPY_SEED_LOSSES.slice(0, 40), 1e-9, "row-streaming f64");
    const f32 = rowStreamingTrain(rowStreamingData(SEED_SIZES, "f32"), SEED_SIZES, 40, 1e-6);
    expectTrajectory(f32, NUMPY_SEED_LOSSES.slice(0, 40), 1e-3, "row-streaming f32");
  });

  it("checkLosses refuses a run that is not numpy's, naming the iteration", () => {
    const good = NUMPY_SEED_LOSSES.slice(0, 10);
    expect(() => checkLosses("ok", good, "f64")).not.toThrow();
    const bad = [...good];
    bad[7] *= 1 + 2e-9;
    expect(() => checkLosses("wrong run", bad, "f64")).toThrow(LossMismatch);
    expect(() => checkLosses("wrong run", bad, "f64")).toThrow(/wrong run: loss 7 is/);
    expect(() => checkLosses("f32 run", bad, "f32")).not.toThrow(); // float32's bound is 1e-3
    bad[7] = NaN;
    expect(() => checkLosses("f32 run", bad, "f32")).toThrow(/loss 7/);
  });

  it("a network that does not compute numpy's program is refused before it is timed", async () => {
    let timedRuns = 0;
    // The same network, with w1 moved a little after creation: the check must catch it.
    const wrong: Create = async (options) => {
      const net = await TwoLayerNet.create(options);
      net.w1[0] += 1e-3;
      const train = net.train.bind(net);
      net.train = (o) => ((timedRuns += 1), train(o));
      return net;
    };
    await expect(measureSeedRuns([{ options: { dtype: "f64" } }], { iterations: 5, timing: QUICK_TIMING, create: wrong })).rejects.toThrow(/wasm f64 SIMD, 1 thread: loss \d+ is/);
    expect(timedRuns).toBe(1); // the checking run only
  });

  it("measures with tinybench: a median, percentiles in order and a sample count for each run", async () => {
    const rows = await measureSeedRuns([{ options: { dtype: "f64" } }, { options: { dtype: "f64", backend: "js" } }, { baseline: "row-streaming", dtype: "f64" }], { iterations: 2, timing: QUICK_TIMING, create });
    for (const r of rows) {
      expect(r.skipped).toBeUndefined();
      expect(r.samples).toBeGreaterThanOrEqual(QUICK_TIMING.slowSamples);
      expect(r.min!).toBeGreaterThan(0);
      expect(r.p50!).toBeLessThanOrEqual(r.p75!);
      expect(r.p75!).toBeLessThanOrEqual(r.p99!);
    }
    const table = seedRunTable(rows).split("\n");
    expect(table[0]).toMatch(/^run +median s +mean s +p75 s +p99 s +±rme +n +× row-streaming JS +× js backend$/);
    expect(table[4]).toMatch(/^row-streaming JS f64 .* 1\.0× +\d+\.\d×$/);
  });

  it("says why a configuration this runtime cannot run as asked is skipped", async () => {
    // Threads need workers; a create that reports a fallback stands for a runtime without them.
    const noThreads: Create = (options) => TwoLayerNet.create({ ...options, threads: 1 });
    const [row] = await measureSeedRuns([{ options: { dtype: "f64", threads: 2 } }], { iterations: 2, timing: QUICK_TIMING, create: noThreads });
    expect(row.skipped).toMatch(/ran with 1 thread/);
    expect(seedRunTable([row])).toMatch(/wasm f64 SIMD, 2 threads +skipped: ran with 1 thread/);
  });

  it("labels every configuration of each list once", () => {
    for (const list of [BENCH_CONTENDERS, CLI_CONTENDERS, PAGE_CONTENDERS]) {
      const labels = list.map(labelOf);
      expect(new Set(labels).size).toBe(labels.length);
    }
    expect(labelOf({ options: { dtype: "f32", threads: 2, fma: true } })).toBe("wasm f32 FMA, 2 threads");
    expect(labelOf({ options: { dtype: "f64", simd: false } })).toBe("wasm f64 scalar, 1 thread");
    expect(labelOf({ options: { dtype: "f64", algorithm: "gram" } })).toBe("gram wasm f64 SIMD, 1 thread");
    expect(labelOf({ options: { dtype: "f32", backend: "js", algorithm: "gram" } })).toBe("gram js backend f32");
  });
});
