// npm run bench, part 3: one step of a 1×1×1×1 network, the cost of calling in and out of wasm (and
// of the js backend's calls), timed by tinybench.
import { Bench } from "tinybench";
import { TwoLayerNet } from "../dist/index.js";

export async function overheadSuite({ quick = false } = {}) {
  const rows = [];
  for (const options of [{}, { backend: "js" }]) {
    const net = await TwoLayerNet.create({ n: 1, dIn: 1, hidden: 1, dOut: 1, ...options });
    const bench = new Bench({ time: quick ? 50 : 300, warmupTime: 50 });
    bench.add("step", () => { net.step(1e-3); });
    await bench.run();
    const { latency } = bench.tasks[0].result;
    rows.push({ network: "1×1×1×1", backend: net.backend, microseconds: latency.p50 * 1000, rme: latency.rme, samples: latency.samplesCount });
    net.dispose();
  }
  return rows;
}
