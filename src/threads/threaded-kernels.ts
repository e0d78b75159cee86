// The kernels of the program as written on several threads: the threaded build's kernels, with the two
// big matrix products and sgd cut into chunks that the pool's threads share. (The Gram form is cut
// by hidden units instead, in gram-parts.ts, and runs the single-thread kernels on each part.)
//
// What runs on several threads, and in which summation order. Chunk boundaries depend only on the
// sizes and the thread count T, never on which thread ran a chunk, so runs repeat bit for bit for a
// given T:
// - h = x·w1 (gemm_pn): K is cut into C = 2T ranges [⌊i·K/C⌋, ⌊(i+1)·K/C⌋); each range's product is
//   summed in increasing p into its own buffer, and the C partial products are added in range order:
//   h = ((h_0 + h_1) + h_2) + …. This is the one place threads change the order of a sum (and so the
//   last bits of a result) compared with one thread.
// - grad_w1 = xᵀ·grad_h (gemm_tn): C = 4T ranges of w1's rows (multiples of 4), each element summed
//   exactly as on one thread.
// - sgd (called once for w1 and once for w2): C = 4T ranges of the block, element-wise as on one thread.
// Everything else runs on the main thread: the small products, ReLU, the loss.
import type { LoadedBuild } from "../builds/builds.js";
import { DTYPES, panelsLength, type Block, type DType, type NetKernels } from "../kernels.js";
import { wasmFunctions, wasmKernels } from "../wasm-kernels.js";
import type { Op, ThreadPool } from "./pool.js";

/** Below these sizes a job runs on the main thread alone: waking workers would cost more than it saves. */
const MIN_SPLIT_MACS = 1 << 18;
const MIN_SPLIT_ELEMENTS = 1 << 15;
/** How many partial products of h a job on `threads` threads needs: one per K range but the first. */
export function partialCount(threads: number): number {
  return 2 * threads - 1;
}

/** The kernels of a network on `pool.threads` threads, as the comment at the top of this file says. */
export function threadedKernels(loaded: LoadedBuild, dtype: DType, pool: ThreadPool): NetKernels {
  const one = wasmKernels(loaded.exports, dtype);
  const f = wasmFunctions(loaded.exports, dtype);
  const S = DTYPES[dtype].bytes;
  const T = pool.threads;
  const pnOp: Op = `gemm_pn_${dtype}`;
  const tnOp: Op = `gemm_tn_${dtype}`;
  const sgdOp: Op = `sgd_${dtype}`;
  const partialBytes = (m: number, n: number) => Math.ceil((m * n * S) / 16) * 16;
  return {
    ...one,
    prepare_pn(m: number, n: number) {
      pool.scratch(partialCount(T), partialBytes(m, n));
    },
    gemm_pn(c: Block, panels: Block, b: Block, m: number, k: number, n: number) {
      const C = 2 * T;
      if (m * k * n < MIN_SPLIT_MACS || k < C) return one.gemm_pn(c, panels, b, m, k, n);
      const partials = pool.scratch(partialCount(T), partialBytes(m, n));
      const lda = panelsLength(4, k);
      const p = (i: number) => Math.floor((i * k) / C);
      for (let i = 0; i < C; i++) {
        const out = i === 0 ? c.offset : partials[i - 1];
        pool.chunk(pnOp, out, panels.offset + 4 * p(i) * S, b.offset + p(i) * n * S, m, p(i + 1) - p(i), n, lda);
      }
      pool.run();
      for (let i = 1; i < C; i++) f.accumulate(c.offset, partials[i - 1], m * n); // h = ((h_0 + h_1) + h_2) + …
    },
    gemm_tn(c: Block, a: Block, b: Block, m: number, k: number, n: number) {
      const quads = Math.ceil(m / 4);
      const C = Math.min(4 * T, quads);
      if (m * k * n < MIN_SPLIT_MACS || C < 2) return one.gemm_tn(c, a, b, m, k, n);
      const row = (i: number) => Math.min(m, 4 * Math.floor((i * quads) / C));
      for (let i = 0; i < C; i++) pool.chunk(tnOp, c.offset + row(i) * n * S, a.offset + row(i) * S, b.offset, row(i + 1) - row(i), k, n, m);
      pool.run();
    },
    sgd(w: Block, g: Block, lr: number, len: number) {
      if (len < MIN_SPLIT_ELEMENTS) return one.sgd(w, g, lr, len);
      const C = 4 * T;
      const at = (i: number) => (i === C ? len : 4 * Math.floor((i * Math.floor(len / 4)) / C));
      for (let i = 0; i < C; i++) pool.chunk(sgdOp, w.offset + at(i) * S, g.offset + at(i) * S, lr, at(i + 1) - at(i));
      pool.run();
    },
  };
}
