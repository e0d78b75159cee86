// Options are read once (issue 11, principle 2): only an object's own enumerable string keys count,
// each value (and each array element) is read exactly once, and whatever an options object does when
// read — inherited keys, symbol keys, getters, proxies, throwing traps — the result is the plain
// object's training or a TwoLayerError, never a raw TypeError or RangeError.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { init, train, TwoLayerError, TwoLayerNet, type TrainOptions } from "../src/index.js";

const SMALL = { n: 2, dIn: 3, hidden: 4, dOut: 2, iterations: 2, learningRate: 1e-3, backend: "js" as const };

/** The same options in one of the disguises a caller may hand them in, with a log of every read. */
type Disguise = "plain" | "null prototype" | "symbol keys" | "getters" | "proxy";
function disguise(options: Record<string, unknown>, how: Disguise, reads: string[]): object {
  switch (how) {
    case "plain":
      return { ...options };
    case "null prototype":
      return Object.assign(Object.create(null), options);
    case "symbol keys":
      return { ...options, [Symbol("n")]: -1, [Symbol.for("dtype")]: "f16" };
    case "getters": {
      const object = {};
      for (const [key, value] of Object.entries(options)) {
        Object.defineProperty(object, key, { enumerable: true, get: () => (reads.push(key), value) });
      }
      return object;
    }
    case "proxy":
      return new Proxy({ ...options }, { get: (target, key, receiver) => (typeof key === "string" && reads.push(key), Reflect.get(target, key, receiver)) });
  }
}

const valid = fc.record(
  {
    seed: fc.integer({ min: 0, max: 100 }),
    dtype: fc.constantFrom("f64", "f32"),
    onNonFinite: fc.constantFrom("stop", "continue"),
    x: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 6, maxLength: 6 }),
  },
  { requiredKeys: [] },
);

describe("options are read once", () => {
  it("every disguise of valid options trains exactly as the plain object does, each key read once", async () => {
    await fc.assert(
      fc.asyncProperty(valid, fc.constantFrom<Disguise>("plain", "null prototype", "symbol keys", "getters", "proxy"), async (options, how) => {
        const plain = await train({ ...SMALL, ...options } as TrainOptions);
        const reads: string[] = [];
        const result = await train(disguise({ ...SMALL, ...options }, how, reads) as TrainOptions);
        expect(Array.from(result.losses)).toEqual(Array.from(plain.losses));
        if (how === "getters" || how === "proxy") expect(reads.sort()).toEqual(Object.keys({ ...SMALL, ...options }).sort());
      }),
      { numRuns: 300 },
    );
  });

  it("an array is read once: its length and each element, whatever it is", async () => {
    const reads: PropertyKey[] = [];
    const x = new Proxy([1, 2, 3, 4, 5, 6], { get: (target, key, receiver) => (reads.push(key), Reflect.get(target, key, receiver)) });
    const net = await TwoLayerNet.create({ n: 2, dIn: 3, hidden: 4, dOut: 2, backend: "js", x });
    expect(reads.filter((key) => key === "length")).toHaveLength(1);
    for (let i = 0; i < 6; i++) expect(reads.filter((key) => key === String(i)), `x[${i}]`).toHaveLength(1);
    // What the network holds is what that one read saw, even if the array changes afterwards.
    x[0] = 100;
    expect(net.x[0]).toBe(1);
    net.dispose();
  });

  it("a value that changes between reads cannot slip past the check: the checked copy is what is used", async () => {
    let first = true;
    const options = { ...SMALL, get n() { const n = first ? 2 : 0; first = false; return n; } };
    const result = await train(options);
    expect(result.config.n).toBe(2);
  });

  it("an object inheriting options is refused, not half-read: inherited keys would not count", async () => {
    const inheriting = Object.assign(Object.create({ n: 3, dtype: "f32" }), SMALL);
    await expect(train(inheriting)).rejects.toMatchObject({ code: "INVALID_OPTION", message: expect.stringMatching(/plain object/) });
  });

  it("a polluted Object.prototype changes nothing", async () => {
    const proto = Object.prototype as Record<string, unknown>;
    const before = await train(SMALL);
    proto.n = 1000;
    proto.iterations = -1;
    proto.banana = 1;
    try {
      const after = await train(SMALL);
      expect(Array.from(after.losses)).toEqual(Array.from(before.losses));
      expect(after.config.n).toBe(2);
    } finally {
      delete proto.n;
      delete proto.iterations;
      delete proto.banana;
    }
  });
});

describe("options objects that are not plain objects, or that throw when read, are a TwoLayerError", () => {
  class Options {
    n = 2;
  }
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const BAD: [string, unknown][] = [
    ["a Map", new Map([["n", 2]])],
    ["a Set", new Set()],
    ["a Date", new Date(0)],
    ["a class instance", new Options()],
    ["a boxed number", Object(5)],
    ["a function", () => SMALL],
    ["a string", "n=2"],
    ["a revoked proxy", revoked.proxy],
    ["a throwing getter", { ...SMALL, get dtype(): string { throw new Error("boom"); } }],
    ["a proxy whose ownKeys throws", new Proxy({}, { ownKeys() { throw new RangeError("no keys"); } })],
    ["a proxy whose get throws", new Proxy({ n: 2 }, { get() { throw new TypeError("no"); } })],
    ["a proxy whose getPrototypeOf throws", new Proxy({}, { getPrototypeOf() { throw new Error("no proto"); } })],
    ["an array whose element getter throws", { ...SMALL, x: Object.defineProperty([1, 2, 3, 4, 5, 6], 3, { get() { throw new Error("no x[3]"); } }) }],
    ["an array proxy whose length throws", { ...SMALL, x: new Proxy([1, 2, 3, 4, 5, 6], { get: (t, k) => { if (k === "length") throw new Error("no length"); return Reflect.get(t, k); } }) }],
  ];
  it.each(BAD)("%s", async (_, options) => {
    for (const call of [() => train(options as TrainOptions), () => TwoLayerNet.create(options as never), () => init(options as never)]) {
      const error = await call().then(() => undefined, (e: unknown) => e);
      expect(error, "accepted").toBeInstanceOf(TwoLayerError);
      expect(["INVALID_OPTION", "INVALID_ARRAY", "UNKNOWN_OPTION"]).toContain((error as TwoLayerError).code);
    }
  });
});
