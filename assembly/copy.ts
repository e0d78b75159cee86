// Element-wise copy between buffers: the Gram form's h = h_next, run by whichever thread owns the
// matrices (src/threads/gram-parts.ts), so it is a kernel like the others rather than a JS copy.

import { disjoint, inMemory } from "./asserts";

// out[i] = a[i] over len elements (len ≥ 1), bit for bit (NaN payloads and −0 included); a must not
// overlap out.
function copy<T>(out: usize, a: usize, len: i32): void {
  assert(len >= 1, "copy: len must be >= 1");
  assert(inMemory<T>(out, len) && inMemory<T>(a, len), "copy: out or a is outside memory");
  assert(disjoint<T>(out, len, a, len), "copy: a overlaps out");
  memory.copy(out, a, <usize>len * sizeof<T>());
}

export function copy_f64(out: usize, a: usize, len: i32): void { copy<f64>(out, a, len); }
export function copy_f32(out: usize, a: usize, len: i32): void { copy<f32>(out, a, len); }
