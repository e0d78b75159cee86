// Where a block stops being finite: gemm_pn_acc's check of the Gram form's h after its update and of
// K before it leaves out terms (the check of the weights before an update is sgd_check's).

import { inMemory } from "./asserts";
import { at } from "./pointers";

// The index of the first a[i] (len ≥ 1 elements) that is NaN or ±Infinity, or −1. Reads a only.
// The SIMD build ORs a[i] − a[i] over whole vectors (+0 where finite, NaN where not) in one
// branch-free pass and scans element by element only when that is nonzero, as sgd_check does.
export function first_non_finite<T>(a: usize, len: i32): i32 {
  assert(len >= 1, "first_non_finite: len must be >= 1");
  assert(inMemory<T>(a, len), "first_non_finite: a is outside memory");
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const L = 16 / sizeof<T>();
    // a[i] − a[i] is +0 (all bits zero) where a[i] is finite and NaN where not: OR-ed together, zero
    // while every element is finite (an OR waits one cycle on the last, where an add waits four).
    let bad = v128.splat<T>(<T>0);
    for (; i + L <= len; i += L) {
      const v = v128.load(at<T>(a, i));
      bad = v128.or(bad, v128.sub<T>(v, v));
    }
    if (v128.any_true(bad)) i = 0;
  }
  for (; i < len; i++) if (!isFinite<T>(load<T>(at<T>(a, i)))) return i;
  return -1;
}
