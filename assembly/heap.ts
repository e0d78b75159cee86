// The allocator the TypeScript wrapper reserves each network's arena with: AssemblyScript's TLSF
// (16-byte aligned blocks, memory grows on demand, freed blocks are reused). Kernels never call it.

// Reserves bytes (≥ 1) and returns the block's byte address; grows memory when needed and traps when
// memory cannot grow (the wrapper checks the size first, so this is a last resort).
export function heap_alloc(bytes: usize): usize { return heap.alloc(bytes); }

// Returns a block from heap_alloc to the free lists.
export function heap_free(ptr: usize): void { heap.free(ptr); }
