// Element-wise sum into a buffer: how the threaded builds add the partial products of the threads.

import { disjoint, inMemory } from "./asserts";
import { at } from "./pointers";

// out[i] = out[i] + a[i] over len elements (len ≥ 1): one add each, so adding partial sums in a
// fixed order gives the same bits every run. Updates out in place; a must not overlap out.
function accumulate<T>(out: usize, a: usize, len: i32): void {
  assert(len >= 1, "accumulate: len must be >= 1");
  assert(inMemory<T>(out, len) && inMemory<T>(a, len), "accumulate: out or a is outside memory");
  assert(disjoint<T>(out, len, a, len), "accumulate: a overlaps out");
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const L = 16 / sizeof<T>();
    for (; i + L <= len; i += L) {
      const oi = at<T>(out, i);
      v128.store(oi, v128.add<T>(v128.load(oi), v128.load(at<T>(a, i))));
    }
  }
  for (; i < len; i++) {
    const oi = at<T>(out, i);
    store<T>(oi, load<T>(oi) + load<T>(at<T>(a, i)));
  }
}

export function accumulate_f64(out: usize, a: usize, len: i32): void { accumulate<f64>(out, a, len); }
export function accumulate_f32(out: usize, a: usize, len: i32): void { accumulate<f32>(out, a, len); }
