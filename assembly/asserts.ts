// What the debug builds (asconfig.json's *-debug targets, noAssert false) check of every kernel's
// contract, as XNNPACK's kernels state theirs in asserts. The kernels call these only inside
// assert(…), which the release builds (noAssert true) compile to nothing, so there they cost nothing.
// The TypeScript wrapper validates what a user can get wrong; these catch the wrapper's own mistakes.

// Whether `elements` elements of T from byte address `ptr` lie inside linear memory. In u64, since a
// 4 GiB memory ends at 2³², one past the largest usize.
// @ts-ignore: decorator
@inline export function inMemory<T>(ptr: usize, elements: u64): bool {
  return <u64>ptr + elements * sizeof<T>() <= (<u64>memory.size() << 16);
}

// Whether [x, x + xElements) and [y, y + yElements) (elements of T) share no byte.
// @ts-ignore: decorator
@inline export function disjoint<T>(x: usize, xElements: u64, y: usize, yElements: u64): bool {
  return <u64>x + xElements * sizeof<T>() <= <u64>y || <u64>y + yElements * sizeof<T>() <= <u64>x;
}

// Whether two ranges of `elements` elements are the same (in place) or share no byte.
// @ts-ignore: decorator
@inline export function sameOrDisjoint<T>(x: usize, y: usize, elements: u64): bool {
  return x == y || disjoint<T>(x, elements, y, elements);
}
