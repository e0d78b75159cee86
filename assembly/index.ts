// The wasm module's exports: the kernels (arithmetic only, on byte addresses the TypeScript wrapper
// reserved) and the allocator the wrapper reserves them with.
export * from "./gemm";
export * from "./relu";
export * from "./loss";
export * from "./sgd";
export * from "./accumulate";
export * from "./heap";
