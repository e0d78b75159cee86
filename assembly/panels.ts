// Packing A into the 4-row panels gemm_pn reads: one plain loop, the same in every build.

import { disjoint, inMemory } from "./asserts";
import { packPanels, panelsElements } from "./pack";

// Packs A (m×k, row-major, m and k ≥ 1) into ⌈m/4⌉ panels of 4 rows for gemm_pn: panel q holds
// A(4q + r, p) at element q·4k + 4p + r, so the 4 values a 4-row tile needs at one p are adjacent and
// the panel is read front to back. Rows past m (the last panel's padding) are +0. Overwrites
// ⌈m/4⌉·4k elements at panels, which must not overlap a. The network packs its x once, since x does
// not change while training.
function pack_panels<T>(panels: usize, a: usize, m: i32, k: i32): void {
  assert(m >= 1 && k >= 1, "pack_panels: m and k must be >= 1");
  const packed = panelsElements(m, k);
  assert(inMemory<T>(a, <u64>m * <u64>k), "pack_panels: A is outside memory");
  assert(inMemory<T>(panels, packed), "pack_panels: the panels are outside memory");
  assert(disjoint<T>(panels, packed, a, <u64>m * <u64>k), "pack_panels: the panels overlap A");
  packPanels<T>(panels, a, m, k);
}

export function pack_panels_f64(panels: usize, a: usize, m: i32, k: i32): void { pack_panels<f64>(panels, a, m, k); }
export function pack_panels_f32(panels: usize, a: usize, m: i32, k: i32): void { pack_panels<f32>(panels, a, m, k); }
