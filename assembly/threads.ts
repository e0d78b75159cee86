// Hands out the chunks of a threaded job (the threaded builds; see src/threads.ts and
// src/threads-worker.ts, which lay out the control block this reads).
//
// A job is C chunks. Thread t of T owns chunks [⌊t·C/T⌋, ⌊(t+1)·C/T⌋) and takes them in order by
// atomically incrementing its own counter; once its own are gone it takes what is left of the others'
// (t + 1, t + 2, … in turn). So in the usual case each thread works on the same part of w1 every step
// (which stays in its core's cache), and a thread the OS has descheduled does not stall the others.

// Int32 word offsets in the control block: the chunk count, and the first per-thread counter.
const CHUNKS: usize = 5;
const NEXT: usize = 8;

// Returns the index of the next chunk thread t (0 ≤ t < threads) should run, or −1 when every chunk
// of the job is taken. ctl is the control block's byte address (4-byte aligned).
export function take_chunk(ctl: usize, t: i32, threads: i32): i32 {
  const chunks = ASC_FEATURE_THREADS ? atomic.load<i32>(ctl + 4 * CHUNKS) : load<i32>(ctl + 4 * CHUNKS);
  for (let k = 0; k < threads; k++) {
    const owner = (t + k) % threads;
    const end = ((owner + 1) * chunks) / threads;
    const counter = ctl + 4 * (NEXT + <usize>owner);
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
