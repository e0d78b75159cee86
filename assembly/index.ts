// The wasm module's exports, the same names and parameters in every build (scalar, simd, fma,
// threads, threads-fma and the debug builds): the kernels (arithmetic only, on byte addresses the
// TypeScript wrapper reserved), the thread pool's chunk counter, and the allocator the wrapper
// reserves memory with. What differs between builds is how the kernels compute, chosen at compile
// time by ASC_FEATURE_SIMD / ASC_FEATURE_RELAXED_SIMD / ASC_FEATURE_THREADS, and whether the
// contracts are asserted (noAssert).
export * from "./gemm-exports";
export * from "./panels";
export * from "./relu";
export * from "./loss";
export * from "./sgd";
export * from "./accumulate";
export * from "./threads";
export * from "./heap";
export * from "./features";
