// npm run bench, part 1: each kernel on the seed network's shapes (the program's, and the Gram form's
// two), for the wasm SIMD build (register-blocked micro-kernels), the FMA build (the matrix
// products), the scalar build and the js backend: GFLOP/s for the products, GB/s (bytes read +
// written) for the element-wise kernels, and the ratio to the js backend. Each result is checked
// against the js backend's first.
import { Bench } from "tinybench";
import { fixed, textTable } from "../dist/bench/index.js";
import { loadBuild } from "../dist/builds/load.js";
import { defaultWasmUrl } from "../dist/builds/source.js";
import { jsGramKernels } from "../dist/js-gram-kernels.js";
import { jsKernels } from "../dist/js-kernels.js";
import { gramScratchLength, panelsLength } from "../dist/kernels.js";
import { NumpyRandomState } from "../dist/numpy/random-state.js";
import { wasmKernels } from "../dist/wasm-kernels.js";
import { SEED, fail } from "./common.mjs";

const KERNEL_VARIANTS = [
  { name: "wasm SIMD", build: "simd" },
  { name: "wasm FMA", build: "fma", productsOnly: true },
  { name: "wasm scalar", build: "scalar" },
  { name: "js backend", build: null },
];

/**
 * The seed step's operands for one dtype and variant, with the kernels to run on them: the variant's
 * build from the package's file, or from `variant.source` (scripts/kernels-side-by-side.mjs).
 */
export async function operands(dtype, variant) {
  const Type = dtype === "f64" ? Float64Array : Float32Array;
  const bytes = Type.BYTES_PER_ELEMENT;
  let kernels;
  let block;
  if (variant.build === null) {
    kernels = { ...jsKernels(), ...jsGramKernels() };
    block = (length) => ({ offset: 0, length, array: new Type(length) });
  } else {
    const { exports } = await loadBuild(variant.build, variant.source ?? defaultWasmUrl(variant.build));
    kernels = wasmKernels(exports, dtype);
    block = (length) => {
      const offset = exports.heap_alloc(length * bytes) >>> 0;
      return { offset, length, get array() { return new Type(exports.memory.buffer, offset, length); } };
    };
  }
  const { n, dIn, hidden: H, dOut } = SEED;
  const random = new NumpyRandomState(1);
  const filled = (length, scale = 1) => {
    const b = block(length);
    const a = b.array;
    for (let i = 0; i < length; i++) a[i] = scale * random.gauss();
    return b;
  };
  const o = {
    x: filled(n * dIn), panels: block(panelsLength(n, dIn)), w1: filled(dIn * H), w2: filled(H * dOut), y: filled(n * dOut),
    h: filled(n * H), hRelu: block(n * H), yPred: filled(n * dOut), gradYPred: filled(n * dOut),
    gradH: filled(n * H), gradW1: block(dIn * H), gradW2: block(H * dOut), w: filled(dIn * H + H * dOut), g: filled(dIn * H + H * dOut),
    gram: block(n * n), gramPanels: block(panelsLength(n, n)), hNext: filled(n * H), gramGradH: filled(n * H), scratch: block(gramScratchLength(n, dOut, H)),
  };
  kernels.pack_panels(o.panels, o.x, n, dIn);
  kernels.gemm_nt(o.gram, o.x, o.x, n, dIn, n);
  kernels.pack_panels(o.gramPanels, o.gram, n, n);
  kernels.relu_forward(o.hRelu, o.h, n * H);
  kernels.relu_backward(o.gramGradH, o.h, n * H); // grad_h as training leaves it: +0 where h < 0, about half
  return { kernels, o };
}

/** The kernels of one step: what each computes, its work (flop or bytes), and how to run it. */
export function kernelList(dtype) {
  const { n, dIn, hidden: H, dOut } = SEED;
  const S = dtype === "f64" ? 8 : 4;
  const gemm = (name, m, k, nn, run) => ({ name, kind: "product", work: 2 * m * k * nn, k, run });
  const elementwise = (name, bytes, run) => ({ name, kind: "elementwise", work: bytes, run });
  return [
    gemm(`h = x·w1 (gemm_pn ${n}×${dIn}×${H})`, n, dIn, H, (K, o) => { K.gemm_pn(o.h, o.panels, o.w1, n, dIn, H); return o.h; }),
    gemm(`grad_w1 = xᵀ·grad_h (gemm_tn ${dIn}×${n}×${H})`, dIn, n, H, (K, o) => { K.gemm_tn(o.gradW1, o.x, o.gradH, dIn, n, H); return o.gradW1; }),
    gemm(`y_pred = h_relu·w2 (gemm_nn ${n}×${H}×${dOut})`, n, H, dOut, (K, o) => { K.gemm_nn(o.yPred, o.hRelu, o.w2, n, H, dOut); return o.yPred; }),
    gemm(`grad_w2 = h_reluᵀ·grad_y_pred (gemm_tn ${H}×${n}×${dOut})`, H, n, dOut, (K, o) => { K.gemm_tn(o.gradW2, o.hRelu, o.gradYPred, H, n, dOut); return o.gradW2; }),
    gemm(`grad_h_relu = grad_y_pred·w2ᵀ (gemm_nt ${n}×${dOut}×${H})`, n, dOut, H, (K, o) => { K.gemm_nt(o.gradH, o.gradYPred, o.w2, n, dOut, H); return o.gradH; }),
    // Its GFLOP/s count the dense product's flops: with grad_h half zeros the float64 SIMD build without FMA does about half.
    gemm(`Gram form: h_next −= lr·K·grad_h (gemm_pn_acc ${n}×${n}×${H}, grad_h ReLU-masked)`, n, n, H, (K, o) => { K.gemm_pn_acc(o.hNext, o.gramPanels, o.gramGradH, -1e-6, n, n, H, o.scratch); return o.hNext; }),
    gemm(`Gram form: grad_h, 0 where h < 0 (gemm_nt_mask ${n}×${dOut}×${H})`, n, dOut, H, (K, o) => { K.gemm_nt_mask(o.gradH, o.gradYPred, o.w2, o.h, n, dOut, H, o.scratch); return o.gradH; }),
    elementwise(`relu_forward (${n * H})`, 2 * n * H * S, (K, o) => { K.relu_forward(o.hRelu, o.h, n * H); return o.hRelu; }),
    elementwise(`relu_backward (${n * H})`, 3 * n * H * S, (K, o) => { K.relu_backward(o.gradH, o.h, n * H); return o.gradH; }),
    elementwise(`sse_loss_grad (${n * dOut})`, 3 * n * dOut * S, (K, o) => { K.sse_loss_grad(o.gradYPred, o.yPred, o.y, n * dOut); return o.gradYPred; }),
    elementwise(`sgd ([w1 | w2], ${dIn * H + H * dOut})`, 3 * (dIn * H + H * dOut) * S, (K, o) => { K.sgd(o.w, o.g, 1e-6, dIn * H + H * dOut); return o.w; }),
  ];
}

/** The largest |got − want| over the elements, relative to the largest |want| (want: a Float64Array). */
export function worstDifference(got, want) {
  const scale = Math.max(...want.map(Math.abs), 1e-300);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / scale);
  return worst;
}

export async function kernelSuite(dtype, { quick = false } = {}) {
  const list = kernelList(dtype);
  const variants = [];
  for (const variant of KERNEL_VARIANTS) variants.push({ ...variant, ...(await operands(dtype, variant)) });
  // Check first: every variant's output of every kernel against the js backend's, from equal inputs.
  const tolerance = dtype === "f64" ? 1e-12 : 1e-4;
  const reference = variants.find((v) => v.build === null);
  for (const kernel of list) {
    const want = Float64Array.from(kernel.run(reference.kernels, reference.o).array);
    for (const v of variants) {
      if (v.build === null || (v.productsOnly && kernel.kind !== "product")) continue;
      const worst = worstDifference(kernel.run(v.kernels, v.o).array, want);
      if (!(worst <= tolerance)) fail(`${dtype} ${kernel.name} on ${v.name} differs from the js backend by ${worst} (relative to the largest value)`);
    }
  }
  const bench = new Bench({ time: quick ? 60 : 250, warmupTime: quick ? 20 : 60, iterations: 8 });
  for (const kernel of list) {
    for (const v of variants) {
      if (v.productsOnly && kernel.kind !== "product") continue;
      bench.add(`${kernel.name}|${v.name}`, () => { kernel.run(v.kernels, v.o); });
    }
  }
  await bench.run();
  const seconds = new Map(bench.tasks.map((t) => [t.name, t.result.latency.p50 / 1000]));
  const rows = [];
  const results = [];
  for (const kernel of list) {
    const js = seconds.get(`${kernel.name}|js backend`);
    const row = [kernel.name];
    for (const v of KERNEL_VARIANTS) {
      const s = seconds.get(`${kernel.name}|${v.name}`);
      if (s === undefined) {
        row.push("", "");
        continue;
      }
      const rate = kernel.work / s / 1e9;
      row.push(`${fixed(s * 1e6, s < 1e-5 ? 2 : 1)} µs ${fixed(rate, 1)}`, v.build === null ? "1×" : `${fixed(js / s, 1)}×`);
      results.push({ dtype, kernel: kernel.name, variant: v.name, microseconds: s * 1e6, [kernel.kind === "product" ? "gflops" : "gbytesPerSecond"]: rate, speedupOverJs: js / s });
    }
    rows.push(row);
  }
  const headers = ["kernel (median time, GFLOP/s or GB/s)"];
  for (const v of KERNEL_VARIANTS) headers.push(v.name, "vs js");
  console.log(`\nKernels, ${dtype} (GFLOP/s for the products, GB/s read + written for the element-wise kernels):\n`);
  console.log(textTable(headers, rows));
  return results;
}
