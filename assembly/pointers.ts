// Addressing shared by every kernel file.

// The byte address of element `index` of a T array starting at byte address `base`.
// @ts-ignore: decorator
@inline export function at<T>(base: usize, index: i32): usize {
  return base + (<usize>index << alignof<T>());
}
