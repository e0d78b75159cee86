// What every bundler's page runs, in the page itself: the small network, the seed network on the SIMD
// build (1 and 2 threads) and the scalar one, then the FMA builds (1 and 2 threads) briefly, so that
// every one of the five .wasm files must have reached the build. The results go to window.result and
// document.body.dataset.state ("done" or "error", with the message in data-error) for the test.
import { SMALL } from "../small.mjs";

/** Runs the workload with the bundled package (after `ready`, for pages that call init first). */
export function runPage({ train }, ready = Promise.resolve()) {
  const losses = (r) => Array.from(r.losses);
  const run = async () => {
    await ready;
    const small = await train(SMALL);
    const simd = await train();
    const scalar = await train({ simd: false, iterations: 50 });
    const threads2 = await train({ threads: 2 });
    const fma = await train({ fma: true, iterations: 5 });
    const fmaThreads2 = await train({ fma: true, threads: 2, iterations: 5 });
    return {
      backends: [small.backend, simd.backend, scalar.backend, threads2.backend],
      small: losses(small),
      simd: losses(simd),
      scalar: losses(scalar),
      threads2: losses(threads2),
      threadsUsed: threads2.threadsUsed,
      fma: losses(fma),
      fmaThreads2: losses(fmaThreads2),
      fmaUsed: [fma.fmaUsed, fmaThreads2.fmaUsed],
      fmaThreadsUsed: fmaThreads2.threadsUsed,
      fallbacks: [...threads2.fallbacks, ...fma.fallbacks, ...fmaThreads2.fallbacks],
    };
  };
  run().then(
    (result) => {
      window.result = result;
      document.body.dataset.state = "done";
    },
    (error) => {
      document.body.dataset.error = String(error?.stack ?? error);
      document.body.dataset.state = "error";
    },
  );
}
