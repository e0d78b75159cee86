// Long runs and many networks: divergence is reported, aborts and throwing callbacks leave the network
// usable, and 10,000 networks created and disposed keep linear memory bounded.
import { describe, expect, it } from "vitest";
import { loadedBuild } from "../src/builds/load.js";
import { NumpyRandomState } from "../src/numpy/random-state.js";
import { train, TwoLayerNet } from "../src/index.js";

describe("divergence", () => {
  it.each(["wasm", "js"] as const)("%s: stops at the first non-finite loss with status, iteration, last finite loss and a hint", async (backend) => {
    const result = await train({ learningRate: 1e-3, iterations: 100, backend });
    expect(result.status).toBe("diverged");
    const { iteration, lastFiniteLoss, message } = result.divergence!;
    expect(result.losses).toHaveLength(iteration + 1);
    expect(Number.isFinite(result.losses[iteration])).toBe(false);
    expect(result.losses.slice(0, iteration).every(Number.isFinite)).toBe(true);
    expect(lastFiniteLoss).toBe(result.losses[iteration - 1]);
    expect(message).toMatch(/the learning rate 0.001 is too large for this data; try 0.0001 or smaller/);
  });

  it('onNonFinite: "continue" carries on as numpy does', async () => {
    const result = await train({ learningRate: 1e-3, iterations: 40, onNonFinite: "continue" });
    expect(result.status).toBe("completed");
    expect(result.losses).toHaveLength(40);
    expect(Number.isNaN(result.losses[39])).toBe(true);
    expect(result.divergence).toBeUndefined();
  });

  it("a diverged network keeps the weights it had before the non-finite iteration's update", async () => {
    const net = await TwoLayerNet.create();
    const twin = await TwoLayerNet.create();
    const result = await net.train({ learningRate: 1e-3, iterations: 100 });
    expect(result.status).toBe("diverged");
    for (let t = 0; t < result.divergence!.iteration; t++) twin.step(1e-3);
    expect(Array.from(net.w2)).toEqual(Array.from(twin.w2));
    expect(Array.from(net.w1)).toEqual(Array.from(twin.w1));
    [net, twin].forEach((n) => n.dispose());
  });
});

describe("watching and stopping a long run", () => {
  it("an AbortSignal from a timer stops train with the losses so far; the network stays usable", async () => {
    const net = await TwoLayerNet.create();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await net.train({ iterations: 1_000_000, signal: controller.signal });
    expect(result.status).toBe("aborted");
    expect(result.losses.length).toBeGreaterThan(0);
    expect(result.losses.length).toBeLessThan(1_000_000);
    const again = await net.train({ iterations: 2 }); // the same network goes on from where it stopped
    expect(again.status).toBe("completed");
    expect(again.losses[0]).toBeLessThan(result.losses[0]);
    net.dispose();
  });

  it("an already aborted signal runs no iteration", async () => {
    const result = await train({ signal: AbortSignal.abort(), iterations: 5 });
    expect(result.status).toBe("aborted");
    expect(result.losses).toHaveLength(0);
  });

  it("aborting from onIteration stops right after that iteration", async () => {
    const controller = new AbortController();
    const result = await train({ iterations: 50, signal: controller.signal, onIteration: (t) => t === 9 && controller.abort() });
    expect(result.status).toBe("aborted");
    expect(result.losses).toHaveLength(10);
  });

  it("a throwing onIteration stops training with that error, before its update, and the network stays valid", async () => {
    const net = await TwoLayerNet.create({ n: 3, dIn: 4, hidden: 5, dOut: 2 });
    const twin = await TwoLayerNet.create({ n: 3, dIn: 4, hidden: 5, dOut: 2 });
    const boom = new Error("boom");
    await expect(net.train({ iterations: 10, learningRate: 1e-3, onIteration: (t) => { if (t === 3) throw boom; } })).rejects.toBe(boom);
    for (let t = 0; t < 3; t++) twin.step(1e-3);
    expect(Array.from(net.w1)).toEqual(Array.from(twin.w1));
    expect(net.step(1e-3)).toBe(twin.step(1e-3));
    [net, twin].forEach((n) => n.dispose());
  });
});

describe("memory", () => {
  it("10,000 networks of random sizes, created, trained a few steps and disposed, grow linear memory by at most 1 MiB", async () => {
    const random = new NumpyRandomState(77);
    const size = () => 1 + (random.nextUint32() % 24);
    const memory = (await loadedBuild("simd")).memory;
    const before = memory.buffer.byteLength;
    let largest = 0;
    const alive: TwoLayerNet[] = [];
    for (let i = 0; i < 10_000; i++) {
      const config = { n: size(), dIn: size(), hidden: size(), dOut: size(), seed: i, dtype: i % 3 ? ("f64" as const) : ("f32" as const) };
      largest = Math.max(largest, TwoLayerNet.bytesFor(config));
      const net = await TwoLayerNet.create(config);
      net.step(1e-3);
      net.step(1e-3);
      alive.push(net);
      // Up to 8 alive at once, freed in a scrambled order, so freed blocks of many sizes get reused.
      if (alive.length > 8) alive.splice(random.nextUint32() % alive.length, 1)[0].dispose();
    }
    alive.forEach((net) => net.dispose());
    // The largest network here takes under 64 KiB (x is held twice: as given, and packed in 4-row
    // panels for h = x·w1); nine alive at once and the allocator's slack grow memory by at most
    // 1 MiB only if freed blocks are reused (without reuse: over 100 MiB).
    expect(largest).toBeLessThan(64 * 1024);
    expect(memory.buffer.byteLength - before).toBeLessThanOrEqual(1024 * 1024);
  });
});
