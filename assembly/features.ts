// Which features this build was compiled with: bit 0 SIMD, bit 1 relaxed SIMD (FMA), bit 2 threads
// (an imported shared memory). The loader compares it with the build it asked for, so a build handed
// in for the wrong slot (the SIMD build's bytes as the threaded one) is refused rather than run.
export function build_features(): i32 {
  return (ASC_FEATURE_SIMD ? 1 : 0) | (ASC_FEATURE_RELAXED_SIMD ? 2 : 0) | (ASC_FEATURE_THREADS ? 4 : 0);
}
