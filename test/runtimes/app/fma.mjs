// The FMA builds (relaxed SIMD's fused multiply-add) on 1 and 2 threads, with what the engine says it
// used, as JSON: Node 20 has relaxed SIMD only once twolayer sets V8's flag; later versions have it on.
import { train } from "twolayer";

const one = await train({ fma: true });
const two = await train({ fma: true, threads: 2 });
console.log(JSON.stringify({
  version: process.version,
  fma: Array.from(one.losses),
  fmaThreads2: Array.from(two.losses),
  fmaUsed: [one.fmaUsed, two.fmaUsed],
  threadsUsed: two.threadsUsed,
  fallbacks: [...one.fallbacks, ...two.fallbacks],
}));
