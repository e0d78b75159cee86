// The Space of a build's linear memory, shared by every network and thread pool on that build.
//
// Reservations come from the module's own allocator (AssemblyScript's TLSF, heap_alloc), which
// reuses freed blocks of any size — up to a point: TLSF cannot hand out a block of 2³⁰ bytes or more
// (BLOCK_MAXSIZE). So large reservations (LARGE bytes or more: a network's arena of half a GiB and
// up) are whole 64 KiB pages that we grow the memory by ourselves and that TLSF never sees (its
// addMemory allows for "non-adjacent pages managed by TLSF" when memory grows behind its back).
// Freed page runs are kept on a list of our own and reused first-fit, merged with free neighbours.
// Smaller ones stay with TLSF: it grows memory by doubling it, so pages of ours below it would make
// its next growth as large as they are.
import type { WasmExports } from "./builds/builds.js";
import type { Space } from "./memory.js";

const PAGE = 65536;
/** Reservations of this many bytes or more get pages of their own (half of TLSF's largest block). */
export const LARGE = 2 ** 29;

interface Run {
  start: number; // byte address, page aligned
  bytes: number; // a multiple of PAGE
}

function makeSpace(wasm: WasmExports): Space {
  // TLSF takes all the memory there is when it first initializes: make it do so now, before we grow
  // memory for pages of our own, so that it never counts them as its own.
  wasm.heap_free(wasm.heap_alloc(16));
  const free: Run[] = []; // sorted by start, never adjacent (merged on release)
  return {
    buffer: () => wasm.memory.buffer,
    reserve(bytes) {
      if (bytes < LARGE) return wasm.heap_alloc(bytes) >>> 0;
      const size = Math.ceil(bytes / PAGE) * PAGE;
      const fit = free.findIndex((run) => run.bytes >= size);
      if (fit >= 0) {
        const run = free[fit];
        const start = run.start;
        if (run.bytes === size) free.splice(fit, 1);
        else Object.assign(run, { start: start + size, bytes: run.bytes - size });
        return start;
      }
      // A free run at the top of memory is extended rather than left behind.
      const top = free[free.length - 1];
      const end = wasm.memory.buffer.byteLength;
      const extend = top !== undefined && top.start + top.bytes === end ? top : undefined;
      const before = wasm.memory.grow((size - (extend?.bytes ?? 0)) / PAGE); // throws RangeError where memory cannot grow that far
      if (extend === undefined) return before * PAGE;
      free.pop();
      return extend.start;
    },
    release(offset, bytes) {
      if (bytes < LARGE) {
        wasm.heap_free(offset);
        return;
      }
      const run: Run = { start: offset, bytes: Math.ceil(bytes / PAGE) * PAGE };
      let at = free.findIndex((r) => r.start > offset);
      if (at < 0) at = free.length;
      free.splice(at, 0, run);
      const next = free[at + 1];
      if (next && run.start + run.bytes === next.start) {
        run.bytes += next.bytes;
        free.splice(at + 1, 1);
      }
      const previous = free[at - 1];
      if (previous && previous.start + previous.bytes === run.start) {
        previous.bytes += run.bytes;
        free.splice(at, 1);
      }
    },
  };
}

const spaces = new WeakMap<WasmExports, Space>();

/** The Space of this build instance's linear memory (one per instance, however often it is asked for). */
export function wasmSpace(wasm: WasmExports): Space {
  let space = spaces.get(wasm);
  if (!space) {
    space = makeSpace(wasm);
    spaces.set(wasm, space);
  }
  return space;
}
