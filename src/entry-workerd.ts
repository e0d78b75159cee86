// The `workerd` and `worker` entry (Cloudflare Workers and other edge runtimes): they refuse to compile
// wasm bytes at run time ("Wasm code generation disallowed by embedder"), so the builds are imported
// as modules, which the runtime (or wrangler's bundler) compiles when the worker is deployed.
// workerd has no workers to run threads on, so the threaded builds are not imported (threads: n
// falls back to one thread there, and says so).
import fma from "../build/twolayer.fma.wasm";
import scalar from "../build/twolayer.scalar.wasm";
import simd from "../build/twolayer.simd.wasm";
import { noShippedFile, setShippedWasm } from "./builds/source.js";

const modules: Record<string, WebAssembly.Module> = { simd, scalar, fma };

setShippedWasm((build) => modules[build] ?? Promise.reject(noShippedFile(build, "the workerd entry")));

export * from "./index.js";
