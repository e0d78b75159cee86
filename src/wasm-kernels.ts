import type { WasmExports } from "./builds/builds.js";
import { panelsLength, type DType, type Kernels } from "./kernels.js";

/** The kernel functions of one build and dtype: the micro-kernels where the build has them. */
export function wasmFunctions(wasm: WasmExports, dtype: DType) {
  return dtype === "f64"
    ? {
        nn: wasm.gemm_nn_f64_4x4 ?? wasm.gemm_nn_f64,
        tn: (wasm.gemm_tn_f64_4x4 ?? wasm.gemm_tn_f64) as import("./builds/builds.js").GemmStrided,
        nt: wasm.gemm_nt_f64_4x4 ?? wasm.gemm_nt_f64,
        pn: wasm.gemm_pn_f64_4x4 ?? wasm.gemm_pn_f64,
        pack: wasm.pack_panels_f64,
        relu: wasm.relu_forward_f64,
        reluBack: wasm.relu_backward_f64,
        loss: wasm.sse_loss_grad_f64,
        sgd: wasm.sgd_f64,
        accumulate: wasm.accumulate_f64,
      }
    : {
        nn: wasm.gemm_nn_f32_4x8 ?? wasm.gemm_nn_f32,
        tn: (wasm.gemm_tn_f32_4x8 ?? wasm.gemm_tn_f32) as import("./builds/builds.js").GemmStrided,
        nt: wasm.gemm_nt_f32_4x8 ?? wasm.gemm_nt_f32,
        pn: wasm.gemm_pn_f32_4x8 ?? wasm.gemm_pn_f32,
        pack: wasm.pack_panels_f32,
        relu: wasm.relu_forward_f32,
        reluBack: wasm.relu_backward_f32,
        loss: wasm.sse_loss_grad_f32,
        sgd: wasm.sgd_f32,
        accumulate: wasm.accumulate_f32,
      };
}

/**
 * The wasm backend: each kernel is one call into the build with the blocks' byte addresses. SIMD
 * builds run the register-blocked micro-kernels, the scalar build the plain loops.
 */
export function wasmKernels(wasm: WasmExports, dtype: DType): Kernels {
  const f = wasmFunctions(wasm, dtype);
  return {
    gemm_nn: (c, a, b, m, k, n) => f.nn(c.offset, a.offset, b.offset, m, k, n),
    gemm_tn: (c, a, b, m, k, n) => f.tn(c.offset, a.offset, b.offset, m, k, n, m), // lda = m (the plain kernel takes no lda)
    gemm_nt: (c, a, b, m, k, n) => f.nt(c.offset, a.offset, b.offset, m, k, n),
    pack_panels: (panels, a, m, k) => f.pack(panels.offset, a.offset, m, k),
    prepare_pn() {},
    gemm_pn: (c, panels, b, m, k, n) => f.pn(c.offset, panels.offset, b.offset, m, k, n, panelsLength(4, k)),
    relu_forward: (out, h, len) => f.relu(out.offset, h.offset, len),
    relu_backward: (grad, h, len) => f.reluBack(grad.offset, h.offset, len),
    sse_loss_grad: (grad, pred, y, len) => f.loss(grad.offset, pred.offset, y.offset, len),
    sgd: (w, g, lr, len) => f.sgd(w.offset, g.offset, lr, len),
  };
}
