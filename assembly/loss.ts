// The squared-error loss fused with its gradient.

import { disjoint, inMemory, sameOrDisjoint } from "./asserts";
import { at } from "./pointers";

// Returns Σ (pred[i] − y[i])² over len elements (len ≥ 1) — a sum, not a mean — and writes
// grad[i] = 2·(pred[i] − y[i]). Differences are formed in T; squares are summed in f64 whatever T is.
// The SIMD build (f64) keeps two partial sums (even and odd i) and adds them at the end, then the
// odd tail; the f32 SIMD build widens to f64 pairs the same way. The scalar build adds in order.
// Overwrites grad; grad may be pred itself but must not otherwise overlap pred or y.
function sse_loss_grad<T>(grad: usize, pred: usize, y: usize, len: i32): f64 {
  assert(len >= 1, "sse_loss_grad: len must be >= 1");
  assert(inMemory<T>(grad, len) && inMemory<T>(pred, len) && inMemory<T>(y, len), "sse_loss_grad: grad, pred or y is outside memory");
  assert(sameOrDisjoint<T>(grad, pred, len), "sse_loss_grad: grad overlaps pred without being pred");
  assert(disjoint<T>(grad, len, y, len), "sse_loss_grad: grad overlaps y");
  let i = 0;
  let sum: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    const L = 16 / sizeof<T>();
    const two = v128.splat<T>(<T>2);
    let acc = f64x2.splat(0);
    for (; i + L <= len; i += L) {
      const d = v128.sub<T>(v128.load(at<T>(pred, i)), v128.load(at<T>(y, i)));
      v128.store(at<T>(grad, i), v128.mul<T>(two, d));
      if (sizeof<T>() == 8) {
        acc = f64x2.add(acc, f64x2.mul(d, d));
      } else {
        const lo = f64x2.promote_low_f32x4(d);
        const hi = f64x2.promote_low_f32x4(i8x16.shuffle(d, d, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
        acc = f64x2.add(acc, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
      }
    }
    sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  }
  for (; i < len; i++) {
    const d = load<T>(at<T>(pred, i)) - load<T>(at<T>(y, i));
    store<T>(at<T>(grad, i), <T>2 * d);
    sum += <f64>d * <f64>d;
  }
  return sum;
}

export function sse_loss_grad_f64(grad: usize, pred: usize, y: usize, len: i32): f64 { return sse_loss_grad<f64>(grad, pred, y, len); }
export function sse_loss_grad_f32(grad: usize, pred: usize, y: usize, len: i32): f64 { return sse_loss_grad<f32>(grad, pred, y, len); }
