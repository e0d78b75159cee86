import type { DType, Kernels } from "./kernels.js";
import type { WasmBuild, WasmExports } from "./loader.js";
import type { Space } from "./memory.js";

/** The wasm backend: each kernel is one call into the build with the blocks' byte addresses. */
export function wasmKernels(wasm: WasmExports, build: WasmBuild, dtype: DType): Kernels {
  const f = dtype === "f64"
    ? { nn: wasm.gemm_nn_f64, tn: wasm.gemm_tn_f64, nt: wasm.gemm_nt_f64, relu: wasm.relu_forward_f64,
        reluBack: wasm.relu_backward_f64, loss: wasm.sse_loss_grad_f64, sgd: wasm.sgd_f64 }
    : { nn: wasm.gemm_nn_f32, tn: wasm.gemm_tn_f32, nt: wasm.gemm_nt_f32, relu: wasm.relu_forward_f32,
        reluBack: wasm.relu_backward_f32, loss: wasm.sse_loss_grad_f32, sgd: wasm.sgd_f32 };
  return {
    backend: build === "simd" ? "wasm-simd" : "wasm-scalar",
    dtype,
    gemm_nn: (c, a, b, m, k, n) => f.nn(c.offset, a.offset, b.offset, m, k, n),
    gemm_tn: (c, a, b, m, k, n) => f.tn(c.offset, a.offset, b.offset, m, k, n),
    gemm_nt: (c, a, b, m, k, n) => f.nt(c.offset, a.offset, b.offset, m, k, n),
    relu_forward: (out, h, len) => f.relu(out.offset, h.offset, len),
    relu_backward: (grad, h, len) => f.reluBack(grad.offset, h.offset, len),
    sse_loss_grad: (grad, pred, y, len) => f.loss(grad.offset, pred.offset, y.offset, len),
    sgd: (w, g, lr, len) => f.sgd(w.offset, g.offset, lr, len),
  };
}

/** The linear memory of a build as a Space: arenas are reserved with the module's own allocator. */
export function wasmSpace(wasm: WasmExports): Space {
  return {
    buffer: () => wasm.memory.buffer,
    reserve: (bytes) => wasm.heap_alloc(bytes) >>> 0,
    release: (offset) => wasm.heap_free(offset),
  };
}
