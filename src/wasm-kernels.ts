import type { WasmExports } from "./builds/builds.js";
import { panelsLength, type DType, type NetKernels } from "./kernels.js";

/** The kernel functions of one build and dtype, looked up by name: every build exports the same ones. */
export function wasmFunctions(wasm: WasmExports, dtype: DType) {
  return {
    nn: wasm[`gemm_nn_${dtype}`],
    tn: wasm[`gemm_tn_${dtype}`],
    nt: wasm[`gemm_nt_${dtype}`],
    pn: wasm[`gemm_pn_${dtype}`],
    pack: wasm[`pack_panels_${dtype}`],
    relu: wasm[`relu_forward_${dtype}`],
    reluBack: wasm[`relu_backward_${dtype}`],
    loss: wasm[`sse_loss_grad_${dtype}`],
    sgd: wasm[`sgd_${dtype}`],
    sgdCheck: wasm[`sgd_check_${dtype}`],
    sgdIntoChecked: wasm[`sgd_into_checked_${dtype}`],
    accumulate: wasm[`accumulate_${dtype}`],
    copyRelu: wasm[`copy_relu_forward_${dtype}`],
    pnAcc: wasm[`gemm_pn_acc_${dtype}`],
    ntMask: wasm[`gemm_nt_mask_${dtype}`],
  };
}

/**
 * The wasm backend: each kernel is one call into the build with the blocks' byte addresses. SIMD
 * builds run the register-blocked micro-kernels, the scalar build the plain loops, under the same names.
 */
export function wasmKernels(wasm: WasmExports, dtype: DType): NetKernels {
  const f = wasmFunctions(wasm, dtype);
  return {
    gemm_nn: (c, a, b, m, k, n) => f.nn(c.offset, a.offset, b.offset, m, k, n),
    gemm_tn: (c, a, b, m, k, n) => f.tn(c.offset, a.offset, b.offset, m, k, n, m), // lda = m: all of A
    gemm_nt: (c, a, b, m, k, n) => f.nt(c.offset, a.offset, b.offset, m, k, n),
    pack_panels: (panels, a, m, k) => f.pack(panels.offset, a.offset, m, k),
    prepare_pn() {},
    gemm_pn: (c, panels, b, m, k, n) => f.pn(c.offset, panels.offset, b.offset, m, k, n, panelsLength(4, k)),
    copy_relu_forward: (h, out, src, len) => f.copyRelu(h.offset, out.offset, src.offset, len),
    relu_forward: (out, h, len) => f.relu(out.offset, h.offset, len),
    relu_backward: (grad, h, len) => f.reluBack(grad.offset, h.offset, len),
    sse_loss_grad: (grad, pred, y, len) => f.loss(grad.offset, pred.offset, y.offset, len),
    sgd: (w, g, lr, len) => f.sgd(w.offset, g.offset, lr, len),
    sgd_check: (w, g, lr, len) => f.sgdCheck(w.offset, g.offset, lr, len),
    gemm_pn_acc: (c, panels, b, alpha, m, k, n, terms) => f.pnAcc(c.offset, panels.offset, b.offset, alpha, m, k, n, terms.offset),
    gemm_nt_mask: (c, a, b, h, m, k, n, scratch) => f.ntMask(c.offset, a.offset, b.offset, h.offset, m, k, n, scratch.offset),
    sgd_into_checked: (out, w, g, lr, len) => f.sgdIntoChecked(out.offset, w.offset, g.offset, lr, len),
  };
}
