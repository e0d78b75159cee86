// Forces linear memory to grow between two networks and reports whether the first network's views
// were refreshed (re-read from the getters) with their values intact, as JSON.
import { TwoLayerNet } from "twolayer";

const a = await TwoLayerNet.create({ n: 8, dIn: 16, hidden: 8, dOut: 4, seed: 1 });
const before = a.w1;
const copy = Float64Array.from(before);
// 2048×2048 float64 weights and their gradients: 64 MiB, far more than the memory holds so far.
const b = await TwoLayerNet.create({ n: 4, dIn: 2048, hidden: 2048, dOut: 2, seed: 2 });
const after = a.w1;
const report = {
  oldViewDetached: before.byteLength === 0,
  newViewLength: after.length,
  newBufferBytes: after.buffer.byteLength,
  valuesIntact: after.length === copy.length && after.every((v, i) => Object.is(v, copy[i])),
  lossA: a.step(0.01),
  lossB: b.step(1e-6),
};
a.dispose();
b.dispose();
console.log(JSON.stringify(report));
