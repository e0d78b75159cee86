// Plain SGD, in place, and the check that it would keep the weights finite. The SIMD loops take two
// vectors a turn (as relu.ts's, for the same reason), then one, then the tail element by element.

import { disjoint, inMemory } from "./asserts";
import { at } from "./pointers";

// w − rate·g for the vector at element i: the product rounded to T, then subtracted.
// @ts-ignore: decorator
@inline function nextVector<T>(w: usize, g: usize, rate: v128, i: i32): v128 {
  return v128.sub<T>(v128.load(at<T>(w, i)), v128.mul<T>(rate, v128.load(at<T>(g, i))));
}

// w[i] −= lr·g[i] over len elements (len ≥ 1), as numpy's w -= learning_rate * grad: the product
// lr·g[i] is rounded to T, then subtracted (no fused multiply-add), so every build gives the same
// bits. Updates w in place; g is read only and must not overlap w.
function sgd<T>(w: usize, g: usize, lr: T, len: i32): void {
  assert(len >= 1, "sgd: len must be >= 1");
  assert(inMemory<T>(w, len) && inMemory<T>(g, len), "sgd: w or g is outside memory");
  assert(disjoint<T>(w, len, g, len), "sgd: g overlaps w");
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const L = 16 / sizeof<T>();
    const rate = v128.splat<T>(lr);
    for (; i + 2 * L <= len; i += 2 * L) {
      const next = nextVector<T>(w, g, rate, i + L);
      v128.store(at<T>(w, i), nextVector<T>(w, g, rate, i));
      v128.store(at<T>(w, i + L), next);
    }
    for (; i + L <= len; i += L) v128.store(at<T>(w, i), nextVector<T>(w, g, rate, i));
  }
  for (; i < len; i++) {
    const wi = at<T>(w, i);
    store<T>(wi, load<T>(wi) - lr * load<T>(at<T>(g, i)));
  }
}

export function sgd_f64(w: usize, g: usize, lr: f64, len: i32): void { sgd<f64>(w, g, lr, len); }
export function sgd_f32(w: usize, g: usize, lr: f32, len: i32): void { sgd<f32>(w, g, lr, len); }

// bad OR next − next for the vector at element i: next − next is +0 (all bits zero) where next is
// finite and NaN where not, so bad stays zero while every next is finite.
// @ts-ignore: decorator
@inline function orBadness<T>(bad: v128, w: usize, g: usize, rate: v128, i: i32): v128 {
  const next = nextVector<T>(w, g, rate, i);
  return v128.or(bad, v128.sub<T>(next, next));
}

// The index of the first w[i] that sgd (with the same lr, the same rounding) would make NaN or
// ±Infinity, or −1 if it would make none: the wrapper calls this before sgd where the weights must
// stay finite. Reads w and g (len ≥ 1 elements each), writes nothing.
function sgd_check<T>(w: usize, g: usize, lr: T, len: i32): i32 {
  assert(len >= 1, "sgd_check: len must be >= 1");
  assert(inMemory<T>(w, len) && inMemory<T>(g, len), "sgd_check: w or g is outside memory");
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // One branch-free pass OR-ing next − next (an OR waits one cycle on the last, where an add would
    // wait four), then, only if that is nonzero, the scalar loop from the start to find which element.
    const L = 16 / sizeof<T>();
    const rate = v128.splat<T>(lr);
    let bad = v128.splat<T>(<T>0);
    for (; i + 2 * L <= len; i += 2 * L) {
      bad = orBadness<T>(bad, w, g, rate, i);
      bad = orBadness<T>(bad, w, g, rate, i + L);
    }
    for (; i + L <= len; i += L) bad = orBadness<T>(bad, w, g, rate, i);
    if (v128.any_true(bad)) i = 0;
  }
  for (; i < len; i++) {
    if (!isFinite<T>(load<T>(at<T>(w, i)) - lr * load<T>(at<T>(g, i)))) return i;
  }
  return -1;
}

export function sgd_check_f64(w: usize, g: usize, lr: f64, len: i32): i32 { return sgd_check<f64>(w, g, lr, len); }
export function sgd_check_f32(w: usize, g: usize, lr: f32, len: i32): i32 { return sgd_check<f32>(w, g, lr, len); }
