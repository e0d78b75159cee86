// Trains, saves, loads and predicts with the installed package, and reports what it got: the same
// code in Node, Deno, Bun (weights-run.mjs), workerd (weights-worker.mjs) and Chromium
// (weights-page/), whose reports must equal Node's. saveWeights' files are compared by SHA-256.
import { readArrays, TwoLayerError, TwoLayerNet } from "twolayer";

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const bits = (a) => hex(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
const sha256 = async (bytes) => hex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

// New inputs made of exact binary fractions (no Math.sin: engines round it differently).
const xNew = Float64Array.from({ length: 3 * 1000 }, (_, i) => ((i * 7) % 17) / 8 - 1);

async function oneDtype(dtype) {
  const net = await TwoLayerNet.create({ dtype }); // the tutorial's network, numpy's seed 0
  const { losses } = await net.train({ iterations: 100 });
  const npz = net.saveWeights();
  const safetensors = net.saveWeights("safetensors");
  const fromNpz = await TwoLayerNet.create({ weights: npz, dtype });
  const fromSafetensors = await TwoLayerNet.create({ weights: safetensors, dtype });
  net.forwardBackward();
  const onTrainingX = net.predict(net.x);
  const arrays = await readArrays(npz);
  const report = {
    lastLoss: losses[99],
    npzBytes: npz.length,
    npzSha256: await sha256(npz),
    safetensorsBytes: safetensors.length,
    safetensorsSha256: await sha256(safetensors),
    shapes: [arrays.w1.shape, arrays.w2.shape],
    loadedBitForBit: [fromNpz, fromSafetensors].every((n) => bits(n.w1) === bits(net.w1) && bits(n.w2) === bits(net.w2)),
    resavedBitForBit: same(fromNpz.saveWeights(), npz) && same(fromSafetensors.saveWeights("safetensors"), safetensors),
    predictIsYPred: bits(onTrainingX) === bits(net.yPred),
    predictNew: bits(fromSafetensors.predict(xNew)),
  };
  for (const n of [net, fromNpz, fromSafetensors]) n.dispose();
  return report;
}

/** What this runtime got: f64 and f32 runs, an f64 file into an f32 network, and a damaged file's error. */
export async function weightsReport() {
  const f64 = await oneDtype("f64");
  const f32 = await oneDtype("f32");
  const net = await TwoLayerNet.create({ seed: 1, n: 4, dIn: 9, hidden: 5, dOut: 3 });
  const bytes = net.saveWeights();
  const rounded = await TwoLayerNet.create({ weights: bytes, dtype: "f32" });
  const roundedAsF32 = bits(rounded.w1) === bits(Float32Array.from(net.w1));
  net.dispose();
  rounded.dispose();
  let damaged;
  try {
    await TwoLayerNet.create({ weights: bytes.subarray(0, bytes.length - 30) });
    damaged = "loaded";
  } catch (error) {
    damaged = error instanceof TwoLayerError ? error.code : String(error);
  }
  return { f64, f32, roundedAsF32, damaged };
}
