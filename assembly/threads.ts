// Hands out the chunks of a threaded job (see src/threads.ts and src/threads-worker.ts, which own the
// control block the counters live in). Exported by every build so that every build has the same
// exports; the threaded builds take chunks atomically, the others (one thread) with plain loads.
//
// A job is C chunks. Thread t of T owns chunks [⌊t·C/T⌋, ⌊(t+1)·C/T⌋) and takes them in order by
// atomically incrementing its own counter; once its own are gone it takes what is left of the others'
// (t + 1, t + 2, … in turn). So in the usual case each thread works on the same part of w1 every step
// (which stays in its core's cache), and a thread the OS has descheduled does not stall the others.

import { inMemory } from "./asserts";

// Returns the index of the next chunk thread t (0 ≤ t < threads) should run, or −1 when all `chunks`
// (≥ 0) of the job are taken. counters is the byte address (4-byte aligned) of `threads` Int32
// counters, counter u holding how many of thread u's chunks were taken, all 0 when the job starts;
// increments the counter of the thread whose chunk it returns (and of each thread it finds empty).
export function take_chunk(counters: usize, chunks: i32, t: i32, threads: i32): i32 {
  assert(threads >= 1 && t >= 0 && t < threads, "take_chunk: t must be in [0, threads)");
  assert(chunks >= 0, "take_chunk: chunks must be >= 0");
  assert((counters & 3) == 0, "take_chunk: counters must be 4-byte aligned");
  assert(inMemory<i32>(counters, <u64>threads), "take_chunk: the counters are outside memory");
  for (let k = 0; k < threads; k++) {
    const owner = (t + k) % threads;
    const end = ((owner + 1) * chunks) / threads;
    const counter = counters + 4 * <usize>owner;
    let taken: i32;
    if (ASC_FEATURE_THREADS) {
      taken = atomic.add<i32>(counter, 1);
    } else {
      taken = load<i32>(counter);
      store<i32>(counter, taken + 1);
    }
    const i = (owner * chunks) / threads + taken;
    if (i < end) return i;
  }
  return -1;
}
