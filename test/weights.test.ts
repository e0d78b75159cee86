// Saving and loading weights: net.saveWeights() and TwoLayerNet.create({ weights }) in both dtypes
// and backends, bit for bit; numpy's and safetensors' own files (the tutorial trained by numpy
// included); the weights option beside every other option; and every bad file the issue names.
import { describe, expect, it } from "vitest";
import { loadedBuild } from "../src/builds/load.js";
import { readArrays, train, TwoLayerNet, type DType } from "../src/index.js";
import { expectError, hex, SPEC, trainedSmall, weightsFixture } from "./weights-harness.js";

const BACKENDS = ["wasm", "js"] as const;
const DTYPES: DType[] = ["f64", "f32"];
const FORMATS = ["npz", "safetensors"] as const;

describe("saveWeights then create({ weights }) gives the same bits", () => {
  for (const backend of BACKENDS) {
    for (const dtype of DTYPES) {
      it.each(FORMATS)(`${backend} ${dtype}: %s`, async (format) => {
        const net = await trainedSmall({ backend, dtype });
        const bytes = net.saveWeights(format);
        const back = await TwoLayerNet.create({ weights: bytes, backend, dtype, seed: 1 });
        expect([back.dIn, back.hidden, back.dOut, back.n]).toEqual([7, 3, 2, 64]);
        expect(hex(back.w1)).toBe(hex(net.w1));
        expect(hex(back.w2)).toBe(hex(net.w2));
        expect(back.saveWeights(format)).toEqual(bytes); // the loaded network writes the same file
        // What the file holds: the network's dtype, shapes (D_in, H) and (H, D_out), the bits in memory.
        const arrays = await readArrays(bytes);
        expect(Object.keys(arrays).sort()).toEqual(["w1", "w2"]);
        expect(arrays.w1.shape).toEqual([7, 3]);
        expect(arrays.w2.shape).toEqual([3, 2]);
        expect(arrays.w1.data).toBeInstanceOf(dtype === "f64" ? Float64Array : Float32Array);
        expect(hex(arrays.w1.data)).toBe(hex(net.w1));
        expect(hex(arrays.w2.data)).toBe(hex(net.w2));
        const text = new TextDecoder("latin1").decode(bytes);
        if (format === "npz") expect(text).toContain(`'descr': '${dtype === "f64" ? "<f8" : "<f4"}', 'fortran_order': False, 'shape': (7, 3)`);
        else expect(text).toContain(`"w1":{"dtype":"${dtype === "f64" ? "F64" : "F32"}","shape":[7,3]`);
        net.dispose();
        back.dispose();
      });
    }
  }

  it("the same weights give the same bytes from every build and backend", async () => {
    const files = new Set<string>();
    for (const options of [{ simd: true }, { simd: false }, { backend: "js" as const }, { threads: 2 }]) {
      const net = await TwoLayerNet.create({ n: 4, dIn: 9, hidden: 5, dOut: 3, seed: 4, ...options });
      files.add(Buffer.from(net.saveWeights()).toString("hex"));
      net.dispose();
    }
    expect(files.size).toBe(1);
  });

  it("readArrays takes the same bytes, refuses a spoofed Uint8Array and says a buffer is detached", async () => {
    const net = await trainedSmall();
    const bytes = net.saveWeights();
    expect(Object.keys(await readArrays(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)))).toEqual(["w1", "w2"]);
    await expectError(readArrays({ [Symbol.toStringTag]: "Uint8Array", length: 0 } as never), "INVALID_ARRAY", "takes the file's bytes as a Uint8Array or ArrayBuffer");
    const detached = new ArrayBuffer(8);
    structuredClone(detached, { transfer: [detached] });
    await expectError(readArrays(detached), "INVALID_ARRAY", "readArrays' buffer is detached");
    net.dispose();
  });

  it("a loaded network trains on exactly as the saved one does", async () => {
    const net = await trainedSmall();
    const back = await TwoLayerNet.create({ weights: net.saveWeights("safetensors"), n: 5, seed: 1 });
    for (let t = 0; t < 5; t++) expect(Object.is(back.step(1e-3), net.step(1e-3))).toBe(true);
    net.dispose();
    back.dispose();
  });

  it("saveWeights refuses an unknown format and a disposed network", async () => {
    const net = await trainedSmall();
    await expectError(() => net.saveWeights("pt" as never), "INVALID_OPTION", 'format must be one of "npz", "safetensors", got "pt"');
    await expectError(() => net.saveWeights(null as never), "INVALID_OPTION", "got null");
    net.dispose();
    await expectError(() => net.saveWeights(), "DISPOSED");
  });
});

describe("the files numpy and safetensors make load", () => {
  it("numpy's trained tutorial network (np.savez): sizes from the file, its bits, numpy's next loss", async () => {
    const bytes = weightsFixture("trained.npz");
    const file = await readArrays(bytes);
    const net = await TwoLayerNet.create({ weights: bytes }); // x and y: seed 0's, as numpy's program drew them
    expect([net.n, net.dIn, net.hidden, net.dOut]).toEqual([64, ...SPEC.files["trained.npz"].sizes!]);
    expect(hex(net.w1)).toBe(hex(file.w1.data));
    expect(hex(net.w2)).toBe(hex(file.w2.data));
    const loss = net.forwardBackward();
    expect(Math.abs(loss / SPEC.files["trained.npz"].loss_after! - 1)).toBeLessThan(1e-9);
    net.dispose();
  });

  it("safetensors' F32 file into f32 networks exactly, and widened exactly into f64 ones", async () => {
    const bytes = weightsFixture("trained-f32.safetensors");
    const file = await readArrays(bytes);
    for (const backend of BACKENDS) {
      const f32 = await TwoLayerNet.create({ weights: bytes, dtype: "f32", backend, n: 3 });
      const f64 = await TwoLayerNet.create({ weights: bytes, dtype: "f64", backend, n: 3 });
      expect(hex(f32.w1)).toBe(hex(file.w1.data));
      expect(hex(f32.w2)).toBe(hex(file.w2.data));
      expect(hex(f64.w1)).toBe(hex(Float64Array.from(file.w1.data)));
      f32.dispose();
      f64.dispose();
    }
  });

  it("np.savez_compressed's deflated members load", async () => {
    const bytes = weightsFixture("odd.npz");
    const file = await readArrays(bytes);
    const net = await TwoLayerNet.create({ weights: bytes, n: 2 });
    expect([net.dIn, net.hidden, net.dOut]).toEqual(SPEC.files["odd.npz"].sizes);
    expect(hex(net.w1)).toBe(hex(file.w1.data));
    net.dispose();
  });

  it("a Fortran-ordered w1 (PyTorch's weight.T saved by np.savez) and a big-endian w2 load as the same weights", async () => {
    const plain = await TwoLayerNet.create({ weights: weightsFixture("odd.npz"), n: 1 });
    const net = await TwoLayerNet.create({ weights: weightsFixture("fortran-be.npz"), n: 1 });
    expect(hex(net.w1)).toBe(hex(plain.w1));
    expect(hex(net.w2)).toBe(hex(plain.w2));
    plain.dispose();
    net.dispose();
  });

  it.each(BACKENDS)("%s: float64 weights into an f32 network round as numpy's astype(np.float32)", async (backend) => {
    const want = await readArrays(weightsFixture("astype-f32.npz"));
    const net = await TwoLayerNet.create({ weights: weightsFixture("astype.npz"), dtype: "f32", backend, n: 1 });
    expect(hex(net.w1)).toBe(hex(want.w1.data));
    expect(hex(net.w2)).toBe(hex(want.w2.data));
    net.dispose();
  });
});

describe("weights work with every other option", () => {
  it("seed: x and y are the seed's draws, as without weights", async () => {
    const weights = weightsFixture("odd.npz");
    const plain = await TwoLayerNet.create({ n: 6, dIn: 37, hidden: 13, dOut: 5, seed: 9 });
    const loaded = await TwoLayerNet.create({ n: 6, weights, seed: 9 });
    expect(hex(loaded.x)).toBe(hex(plain.x));
    expect(hex(loaded.y)).toBe(hex(plain.y));
    plain.dispose();
    loaded.dispose();
  });

  it("x and y given, threads, simd, fma, and train()", async () => {
    const weights = weightsFixture("odd.npz");
    const x = Float64Array.from({ length: 4 * 37 }, (_, i) => Math.sin(i));
    const y = Float64Array.from({ length: 4 * 5 }, (_, i) => Math.cos(i));
    const losses = new Set<number>();
    for (const options of [{}, { simd: false }, { backend: "js" as const }, { threads: 2 }, { fma: true }]) {
      const net = await TwoLayerNet.create({ weights, x, y, n: 4, ...options });
      expect(hex(net.x)).toBe(hex(x));
      losses.add(net.forwardBackward());
      net.dispose();
    }
    for (const loss of losses) expect(Math.abs(loss / [...losses][0] - 1)).toBeLessThan(1e-12);
    const result = await train({ weights, x, y, n: 4, iterations: 3, learningRate: 1e-4 });
    expect(result.status).toBe("completed");
    expect(result.config).toMatchObject({ n: 4, dIn: 37, hidden: 13, dOut: 5 });
  });

  it("sizes given beside the file must be the file's: a typed error names both", async () => {
    const weights = weightsFixture("odd.npz");
    const net = await TwoLayerNet.create({ weights, dIn: 37, hidden: 13, dOut: 5, n: 2 });
    net.dispose();
    await expectError(TwoLayerNet.create({ weights, dIn: 1000 }), "INVALID_OPTION", "dIn (the input width D_in) is 1000 but the weights file's w1 is 37×13, so dIn is 37");
    await expectError(TwoLayerNet.create({ weights, hidden: 100 }), "INVALID_OPTION", "hidden (the hidden width H) is 100 but the weights file's w1 is 37×13, so hidden is 13");
    await expectError(TwoLayerNet.create({ weights, dOut: 10 }), "INVALID_OPTION", "dOut (the output width D_out) is 10 but the weights file's w2 is 13×5, so dOut is 5");
    await expectError(TwoLayerNet.create({ weights, dIn: "37" as never }), "INVALID_OPTION", "must be an integer");
    await expectError(TwoLayerNet.create({ weights, x: new Float64Array(64 * 36) }), "INVALID_ARRAY", "x must hold 64×37");
    await expectError(TwoLayerNet.create({ weights, w1: new Float64Array(37 * 13) }), "INVALID_OPTION", "weights and w1 both give w1");
    expect(TwoLayerNet.bytesFor({ weights })).toBe(TwoLayerNet.bytesFor({ dIn: 37, hidden: 13, dOut: 5 }));
  });

  it("the option is read once: a getter runs once and later changes to the bytes change nothing", async () => {
    const bytes = weightsFixture("odd.npz");
    let reads = 0;
    const options = Object.defineProperty({ n: 2 }, "weights", { enumerable: true, get: () => (reads++, bytes) });
    const net = await TwoLayerNet.create(options);
    expect(reads).toBe(1);
    const before = hex(net.w1);
    bytes.fill(0);
    expect(hex(net.w1)).toBe(before);
    net.dispose();
  });

  it("what is not a file's bytes is INVALID_OPTION, and so is a detached buffer, saying so; an empty one is an empty file", async () => {
    const spoof = { [Symbol.toStringTag]: "Uint8Array", length: 4, 0: 0x50 };
    for (const value of ["w.npz", 42, null, true, [0x50, 0x4b], new Float64Array(4), new DataView(new ArrayBuffer(4)), {}, spoof, new Map()]) {
      await expectError(TwoLayerNet.create({ weights: value as never }), "INVALID_OPTION", "weights must be the bytes of an .npz or .safetensors file");
    }
    const detached = new ArrayBuffer(16);
    structuredClone(detached, { transfer: [detached] });
    await expectError(TwoLayerNet.create({ weights: detached }), "INVALID_OPTION", "weights' buffer is detached");
    for (const empty of [new ArrayBuffer(0), new Uint8Array(0)]) {
      await expectError(TwoLayerNet.create({ weights: empty }), "INVALID_FILE", "weights", "the file is empty");
    }
  });
});

describe("bad weights files raise INVALID_FILE naming the part, and reserve nothing", () => {
  const bad = Object.entries(SPEC.files).filter(([, facts]) => facts.error !== undefined);

  it.each(bad)("%s", async (name, { error, dtype }) => {
    await expectError(TwoLayerNet.create({ weights: weightsFixture(name), dtype }), "INVALID_FILE", /^weights/, ...error!);
  });

  it("non-finite weights load with allowNonFinite; beyond float32's range loads into f64", async () => {
    const nan = await TwoLayerNet.create({ weights: weightsFixture("nan.npz"), allowNonFinite: true, n: 1 });
    expect(Number.isNaN(nan.w1[3])).toBe(true);
    nan.dispose();
    const big = await TwoLayerNet.create({ weights: weightsFixture("beyond-f32.npz"), n: 1 });
    expect(big.w1[5]).toBe(1e39);
    big.dispose();
    await expectError(TwoLayerNet.create({ weights: weightsFixture("beyond-f32.npz"), dtype: "f32", allowNonFinite: true }), "INVALID_FILE", "beyond float32's range");
  });

  it("w1 1000×100 with w2 50×10, as the issue names it, from our own writer too", async () => {
    const { writeNpz } = await import("../src/index.js");
    const weights = writeNpz({ w1: { data: new Float64Array(100_000), shape: [1000, 100] }, w2: { data: new Float64Array(500), shape: [50, 10] } });
    await expectError(TwoLayerNet.create({ weights }), "INVALID_FILE", "w1 is 1000×100 and w2 is 50×10");
  });

  it("the names a file holds instead are listed one line, plain ones as written, others quoted and cut", async () => {
    const { writeSafetensors } = await import("../src/index.js");
    const one = { data: new Float64Array(1), shape: [1, 1] };
    const weights = writeSafetensors({ "w1, w2": one, "a\nb": one, "layer.0.weight": one, ["x".repeat(50)]: one });
    const error = await expectError(TwoLayerNet.create({ weights }), "INVALID_FILE", `(it holds "a\\nb", layer.0.weight, "w1, w2", "${"x".repeat(40)}"…)`);
    expect(error.message).not.toContain("\n");
    const extra = writeSafetensors({ w1: one, w2: one, "b\r1": one });
    await expectError(TwoLayerNet.create({ weights: extra }), "INVALID_FILE", 'holds "b\\r1" besides w1 and w2');
  });

  it("no bad file grows wasm memory, however many times it is tried", async () => {
    const keep = await TwoLayerNet.create({ n: 1, dIn: 1, hidden: 1, dOut: 1 });
    const { memory } = await loadedBuild("simd");
    const before = memory.buffer.byteLength;
    for (let i = 0; i < 20; i++) {
      for (const [name, { dtype }] of bad) await TwoLayerNet.create({ weights: weightsFixture(name), dtype }).catch(() => undefined);
    }
    expect(memory.buffer.byteLength).toBe(before);
    keep.dispose();
  });
});
