// Trains the tutorial's seed network with the installed package and prints what it got as JSON.
// The same file runs in Node, Deno and Bun (each resolves "twolayer" through its own condition).
import { train } from "twolayer";
import { SMALL } from "./small.mjs";

const runtime = globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : "node";
const simd = await train();
const scalar = await train({ simd: false });
const js = await train({ backend: "js", iterations: 20 });
// Two threads (worker_threads in Node and Bun, Web Workers in Deno): a fixed summation order, so the
// same bits in every runtime, and the reference for pages that train on 2 threads.
const threads2 = await train({ threads: 2 });
// A small network of odd sizes (SIMD tails everywhere), the first run of every bundler's page.
const small = await train(SMALL);
console.log(JSON.stringify({
  runtime,
  entry: import.meta.resolve("twolayer"), // which file the runtime's export conditions chose
  backends: [simd.backend, scalar.backend, js.backend],
  simd: Array.from(simd.losses),
  scalar: Array.from(scalar.losses),
  js: Array.from(js.losses),
  threads2: Array.from(threads2.losses),
  threadsUsed: threads2.threadsUsed,
  small: Array.from(small.losses),
}));
