// Plain SGD, in place, the check that it would keep the weights finite, and both at once into
// another block. The SIMD loops take two vectors a turn (as relu.ts's, for the same reason), then
// one, then the tail element by element.

import { disjoint, inMemory } from "./asserts";
import { first_non_finite } from "./finite";
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

// out[i] = w[i] − lr·g[i] (sgd's arithmetic and bits) into a block of its own, returning the index of
// the first out[i] that is NaN or ±Infinity, or −1: sgd_check and sgd in one pass, for a w whose
// update the caller can drop by not taking out (the Gram form's S, double-buffered). w and g are
// read only; out must overlap neither (w and g may overlap each other).
function sgd_into_checked<T>(out: usize, w: usize, g: usize, lr: T, len: i32): i32 {
  assert(len >= 1, "sgd_into_checked: len must be >= 1");
  assert(inMemory<T>(out, len) && inMemory<T>(w, len) && inMemory<T>(g, len), "sgd_into_checked: out, w or g is outside memory");
  assert(disjoint<T>(out, len, w, len) && disjoint<T>(out, len, g, len), "sgd_into_checked: out overlaps w or g");
  let i = 0;
  // The vector part ORs next − next (+0 where finite, NaN where not) into bad, as sgd_check does.
  let bad = false;
  if (ASC_FEATURE_SIMD) {
    const L = 16 / sizeof<T>();
    const rate = v128.splat<T>(lr);
    let badness = v128.splat<T>(<T>0);
    for (; i + 2 * L <= len; i += 2 * L) {
      const v0 = nextVector<T>(w, g, rate, i);
      const v1 = nextVector<T>(w, g, rate, i + L);
      v128.store(at<T>(out, i), v0);
      v128.store(at<T>(out, i + L), v1);
      badness = v128.or(badness, v128.or(v128.sub<T>(v0, v0), v128.sub<T>(v1, v1)));
    }
    for (; i + L <= len; i += L) {
      const v = nextVector<T>(w, g, rate, i);
      v128.store(at<T>(out, i), v);
      badness = v128.or(badness, v128.sub<T>(v, v));
    }
    bad = v128.any_true(badness);
  }
  const vectors = i;
  let first = -1;
  for (; i < len; i++) {
    const next = load<T>(at<T>(w, i)) - lr * load<T>(at<T>(g, i));
    store<T>(at<T>(out, i), next);
    if (first < 0 && !isFinite<T>(next)) first = i;
  }
  // Only if a vector held a NaN or ±Infinity: find which element, from the start.
  if (bad) {
    const j = first_non_finite<T>(out, vectors);
    if (j >= 0) return j;
  }
  return first;
}

export function sgd_check_f64(w: usize, g: usize, lr: f64, len: i32): i32 { return sgd_check<f64>(w, g, lr, len); }
export function sgd_check_f32(w: usize, g: usize, lr: f32, len: i32): i32 { return sgd_check<f32>(w, g, lr, len); }
export function sgd_into_checked_f64(out: usize, w: usize, g: usize, lr: f64, len: i32): i32 { return sgd_into_checked<f64>(out, w, g, lr, len); }
export function sgd_into_checked_f32(out: usize, w: usize, g: usize, lr: f32, len: i32): i32 { return sgd_into_checked<f32>(out, w, g, lr, len); }
