// ReLU (alone, and with a copy of its input: the Gram form's carried h) and its gradient,
// element-wise over len elements (len ≥ 1) of T at byte addresses.
// The SIMD build does LANES = 16 / sizeof<T>() elements per v128, two vectors a loop turn (one loop
// turn is then a few instructions more than the vector work, which V8 does not unroll by itself),
// then one vector, then the len % LANES tail one by one; both builds give the same bits.

import { disjoint, inMemory, sameOrDisjoint } from "./asserts";
import { at } from "./pointers";

// One vector of relu_forward at element i: the lanes where h ≤ 0 cleared (false for NaN, true for −0),
// which is max(h, 0)'s bits in two instructions where V8 lowers f64x2.max (which orders −0 below +0
// and propagates NaN) to about eight.
// @ts-ignore: decorator
@inline function reluVector<T>(out: usize, h: usize, i: i32): void {
  const v = v128.load(at<T>(h, i));
  v128.store(at<T>(out, i), v128.andnot(v, v128.le<T>(v, v128.splat<T>(<T>0))));
}

// out[i] = max(h[i], 0) as numpy's np.maximum(h, 0): NaN stays NaN, −0 becomes +0. Overwrites out;
// out may be h itself (in place) but must not otherwise overlap it.
function relu_forward<T>(out: usize, h: usize, len: i32): void {
  assert(len >= 1, "relu_forward: len must be >= 1");
  assert(inMemory<T>(out, len) && inMemory<T>(h, len), "relu_forward: out or h is outside memory");
  assert(sameOrDisjoint<T>(out, h, len), "relu_forward: out overlaps h without being h");
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const L = 16 / sizeof<T>();
    for (; i + 2 * L <= len; i += 2 * L) {
      reluVector<T>(out, h, i);
      reluVector<T>(out, h, i + L);
    }
    for (; i + L <= len; i += L) reluVector<T>(out, h, i);
  }
  for (; i < len; i++) store<T>(at<T>(out, i), max<T>(load<T>(at<T>(h, i)), <T>0));
}

// One vector of copy_relu_forward at element i.
// @ts-ignore: decorator
@inline function copyReluVector<T>(h: usize, out: usize, src: usize, i: i32): void {
  const v = v128.load(at<T>(src, i));
  v128.store(at<T>(h, i), v);
  v128.store(at<T>(out, i), v128.andnot(v, v128.le<T>(v, v128.splat<T>(<T>0))));
}

// h[i] = src[i] bit for bit (NaN payloads and −0 included) and out[i] = max(src[i], 0) as
// relu_forward, in one pass over src: the Gram form's h = h_next and h_relu = np.maximum(h, 0).
// Overwrites h and out (len ≥ 1 elements each); src is read only; no two of them may overlap.
function copy_relu_forward<T>(h: usize, out: usize, src: usize, len: i32): void {
  assert(len >= 1, "copy_relu_forward: len must be >= 1");
  assert(inMemory<T>(h, len) && inMemory<T>(out, len) && inMemory<T>(src, len), "copy_relu_forward: h, out or src is outside memory");
  assert(disjoint<T>(h, len, out, len) && disjoint<T>(h, len, src, len) && disjoint<T>(out, len, src, len), "copy_relu_forward: h, out and src overlap");
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const L = 16 / sizeof<T>();
    for (; i + 2 * L <= len; i += 2 * L) {
      copyReluVector<T>(h, out, src, i);
      copyReluVector<T>(h, out, src, i + L);
    }
    for (; i + L <= len; i += L) copyReluVector<T>(h, out, src, i);
  }
  for (; i < len; i++) {
    const v = load<T>(at<T>(src, i));
    store<T>(at<T>(h, i), v);
    store<T>(at<T>(out, i), max<T>(v, <T>0));
  }
}

// One vector of relu_backward at element i: grad's lanes cleared where h < 0.
// @ts-ignore: decorator
@inline function maskVector<T>(grad: usize, h: usize, i: i32): void {
  const negative = v128.lt<T>(v128.load(at<T>(h, i)), v128.splat<T>(<T>0));
  v128.store(at<T>(grad, i), v128.andnot(v128.load(at<T>(grad, i)), negative));
}

// grad[i] = 0 where h[i] < 0 (strictly, as numpy's grad_h[h < 0] = 0: h = −0 or NaN keeps the
// gradient), else unchanged. In place on grad (len elements); h is the pre-activation, read only,
// and must not overlap grad.
function relu_backward<T>(grad: usize, h: usize, len: i32): void {
  assert(len >= 1, "relu_backward: len must be >= 1");
  assert(inMemory<T>(grad, len) && inMemory<T>(h, len), "relu_backward: grad or h is outside memory");
  assert(disjoint<T>(grad, len, h, len), "relu_backward: h overlaps grad");
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const L = 16 / sizeof<T>();
    for (; i + 2 * L <= len; i += 2 * L) {
      maskVector<T>(grad, h, i);
      maskVector<T>(grad, h, i + L);
    }
    for (; i + L <= len; i += L) maskVector<T>(grad, h, i);
  }
  for (; i < len; i++) if (load<T>(at<T>(h, i)) < <T>0) store<T>(at<T>(grad, i), <T>0);
}

export function relu_forward_f64(out: usize, h: usize, len: i32): void { relu_forward<f64>(out, h, len); }
export function relu_backward_f64(grad: usize, h: usize, len: i32): void { relu_backward<f64>(grad, h, len); }
export function relu_forward_f32(out: usize, h: usize, len: i32): void { relu_forward<f32>(out, h, len); }
export function copy_relu_forward_f64(h: usize, out: usize, src: usize, len: i32): void { copy_relu_forward<f64>(h, out, src, len); }
export function copy_relu_forward_f32(h: usize, out: usize, src: usize, len: i32): void { copy_relu_forward<f32>(h, out, src, len); }
export function relu_backward_f32(grad: usize, h: usize, len: i32): void { relu_backward<f32>(grad, h, len); }
