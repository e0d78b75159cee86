// Long runs and many networks: divergence is reported, aborts and throwing callbacks leave the network
// usable, stepping a network that train runs is refused (BUSY), a callback's promise is awaited, and
// 10,000 networks created and disposed keep linear memory bounded.
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

describe("stepping a network that train runs", () => {
  const sizes = { n: 5, dIn: 7, hidden: 3, dOut: 2, seed: 4 };
  const calls: [string, (net: TwoLayerNet) => unknown][] = [
    ["net.step()", (net) => net.step(1e-3)],
    ["net.forwardBackward()", (net) => net.forwardBackward()],
    ["net.update()", (net) => net.update(1e-3)],
    ["net.runLine()", (net) => net.runLine()],
  ];

  it.each(calls)("%s from onIteration is a BUSY error, and the training is a plain one's", async (method, call) => {
    for (const algorithm of ["direct", "gram"] as const) {
      const net = await TwoLayerNet.create({ ...sizes, algorithm });
      const twin = await TwoLayerNet.create({ ...sizes, algorithm });
      const errors: unknown[] = [];
      const onIteration = (t: number) => {
        if (t !== 1) return;
        try {
          call(net);
        } catch (error) {
          errors.push(error);
        }
      };
      const { losses } = await net.train({ iterations: 4, learningRate: 1e-3, onIteration });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ name: "TwoLayerError", code: "BUSY" });
      expect((errors[0] as Error).message).toContain(`${method} was called while train runs this network`);
      const plain = await twin.train({ iterations: 4, learningRate: 1e-3 });
      expect(Array.from(losses)).toEqual(Array.from(plain.losses));
      expect(Array.from(net.w1)).toEqual(Array.from(twin.w1));
      expect(net.step(1e-3)).toBe(twin.step(1e-3)); // usable again once train has settled
      [net, twin].forEach((n) => n.dispose());
    }
  });

  it("net.train() from onIteration is rejected with BUSY; reading and writing views, predict and saveWeights are allowed", async () => {
    const net = await TwoLayerNet.create(sizes);
    let inner: Promise<unknown> | undefined;
    const onIteration = (t: number) => {
      if (t !== 2) return;
      inner = net.train({ iterations: 3 });
      void net.w1[0];
      net.predict(new Float64Array(sizes.dIn));
      net.saveWeights();
    };
    await net.train({ iterations: 4, onIteration });
    await expect(inner).rejects.toMatchObject({ code: "BUSY", message: expect.stringContaining("net.train() was called while train runs") });
    net.dispose();
  });

  it("a second train() while the first awaits (a signal lets it yield) is rejected with BUSY, the first trains on", async () => {
    const net = await TwoLayerNet.create(sizes);
    const first = net.train({ iterations: 30, signal: new AbortController().signal, onIteration: () => new Promise((r) => setTimeout(r, 1)) });
    await expect(net.train({ iterations: 1 })).rejects.toMatchObject({ code: "BUSY" });
    expect(() => net.step()).toThrow(expect.objectContaining({ code: "BUSY" }));
    expect((await first).losses).toHaveLength(30);
    net.step(); // idle again
    net.dispose();
  });

  it("train is idle again at once after a train that never awaited, and after one that threw", async () => {
    const net = await TwoLayerNet.create(sizes);
    void net.train({ iterations: 2 }); // not awaited: it ran to its end inside the call
    expect(() => net.step()).not.toThrow();
    await expect(net.train({ iterations: 2, onIteration: () => { throw new Error("boom"); } })).rejects.toThrow("boom");
    expect(() => net.step()).not.toThrow();
    net.dispose();
  });
});

describe("an onIteration that returns a promise", () => {
  it("is awaited: each iteration waits for it, in order, before its update", async () => {
    const seen: string[] = [];
    const result = await train({ n: 3, dIn: 5, hidden: 4, dOut: 2, iterations: 3, onIteration: async (t) => {
      seen.push(`start ${t}`);
      await new Promise((r) => setTimeout(r, 1));
      seen.push(`end ${t}`);
    } });
    expect(result.status).toBe("completed");
    expect(seen).toEqual(["start 0", "end 0", "start 1", "end 1", "start 2", "end 2"]);
  });

  it("that rejects stops training with its error, before that iteration's update, as a throw does", async () => {
    const net = await TwoLayerNet.create({ n: 3, dIn: 4, hidden: 5, dOut: 2 });
    const twin = await TwoLayerNet.create({ n: 3, dIn: 4, hidden: 5, dOut: 2 });
    const boom = new Error("stop please");
    await expect(net.train({ iterations: 10, learningRate: 1e-3, onIteration: async (t) => { if (t === 3) throw boom; } })).rejects.toBe(boom);
    for (let t = 0; t < 3; t++) twin.step(1e-3);
    expect(Array.from(net.w1)).toEqual(Array.from(twin.w1));
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
