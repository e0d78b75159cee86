// The SIMD builds' exports (simd, fma, threads, threads-fma): everything the scalar build has, plus
// the register-blocked micro-kernels.
export * from "./index";
export * from "./gemm-simd";
export * from "./threads";
