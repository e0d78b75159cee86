// The code each worker thread runs, as a string: it is started with `eval: true` in Node and Bun
// (worker_threads) and from a Blob URL as a module worker in browsers and Deno, so no bundler has to
// find a separate worker file. Plain JavaScript that runs as a CommonJS script and as a module (Node
// evaluates it as a module when the main script was run with --input-type=module).
//
// A job is a list of chunks, each a sequence of kernel calls that one thread runs in order (the Gram
// form's parts: src/threads/gram-parts.ts) or a single call. The main thread writes each call as a
// row of ROW_FLOATS float64 [op, arg1 … arg8, result] and chunk i's rows as [FIRST[i], FIRST[i + 1]);
// the thread that runs a call writes what it returned into the row's last float. The wasm export
// take_chunk (assembly/threads.ts), given the counters' address and the job's chunk count, says
// which chunk a thread runs next. Between jobs a worker waits for the epoch word to change: it polls
// Atomics.load for a few microseconds (so a job that follows soon starts at once), then sleeps in
// Atomics.wait.

/**
 * Int32 words of the control block: the words below, then thread t's take_chunk counter at NEXT + t,
 * then the chunks' first rows (FIRST[i] at firstWord(threads) + i, maxChunks + 1 of them); the rows
 * follow from rowsByte(threads, maxChunks).
 */
export const CONTROL = {
  EPOCH: 0, // incremented by the main thread to start a job
  DONE: 1, // workers that finished the current job
  SLEEPERS: 2, // workers asleep in Atomics.wait on EPOCH
  MAIN_ASLEEP: 3, // 1 while the main thread sleeps in Atomics.wait on DONE
  ERROR: 4, // index + 1 of the first thread whose kernel threw, else 0
  CHUNKS: 5, // C, the current job's chunk count; QUIT ends the workers
  NEXT: 8, // NEXT + t: how many of thread t's chunks were taken (take_chunk's counters)
} as const;
export const QUIT = -1;
/** A call's row: op, 8 arguments, and the value the call returned (0 for none). */
export const ROW_FLOATS = 10;
/** Where a row's result is. */
export const RESULT = 9;

/** Int32 word of FIRST[0] in the control block (after the counters). */
export function firstWord(threads: number): number {
  return CONTROL.NEXT + threads;
}

/** Byte offset of the first row in the control block (after the chunks' first rows, 8-byte aligned). */
export function rowsByte(threads: number, maxChunks: number): number {
  return 8 * Math.ceil((4 * (firstWord(threads) + maxChunks + 1)) / 8);
}

/** The message that starts a worker. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte address of the control block. */
  control: number;
  rowsByte: number;
  maxChunks: number;
  maxRows: number;
  /** 1 … threads − 1 (the main thread is 0). */
  index: number;
  threads: number;
  /** Export names, indexed by a row's op. */
  ops: string[];
  /** Atomics.load polls before sleeping in Atomics.wait. */
  spin: number;
}

/** The worker's code for a platform: Node's worker_threads, or Web Workers. */
export function workerSource(platform: "node" | "web"): string {
  const listen =
    platform === "node"
      ? `import("node:worker_threads").then(({ parentPort }) => {
  parentPort.once("message", (init) => start(init, (message) => parentPort.postMessage(message), () => parentPort.close()));
});`
      : `self.onmessage = (event) => {
  self.onmessage = null;
  start(event.data, (message) => self.postMessage(message), () => self.close());
};`;
  return WORKER_BODY + listen + "\n";
}

const WORKER_BODY = `"use strict";
const start = ({ module, memory, control, rowsByte, maxChunks, maxRows, index, threads, ops, spin }, post, close) => {
  let exports;
  try {
    exports = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error("wasm abort"); } } }).exports;
  } catch (error) {
    post({ error: String((error && error.message) || error) });
    return;
  }
  const fns = ops.map((name) => exports[name]);
  const takeChunk = exports.take_chunk;
  const counters = control + 4 * ${CONTROL.NEXT};
  const ctl = new Int32Array(memory.buffer, control, ${CONTROL.NEXT} + threads + maxChunks + 1);
  const first = ${CONTROL.NEXT} + threads;
  const rows = new Float64Array(memory.buffer, control + rowsByte, ${ROW_FLOATS} * maxRows);
  let seen = Atomics.load(ctl, ${CONTROL.EPOCH});
  post({ ready: true });
  for (;;) {
    let spins = 0;
    while (Atomics.load(ctl, ${CONTROL.EPOCH}) === seen) {
      if (++spins < spin) continue;
      Atomics.add(ctl, ${CONTROL.SLEEPERS}, 1);
      Atomics.wait(ctl, ${CONTROL.EPOCH}, seen);
      Atomics.sub(ctl, ${CONTROL.SLEEPERS}, 1);
    }
    seen = Atomics.load(ctl, ${CONTROL.EPOCH});
    const chunks = Atomics.load(ctl, ${CONTROL.CHUNKS});
    if (chunks === ${QUIT}) break;
    for (let i = takeChunk(counters, chunks, index, threads); i >= 0; i = takeChunk(counters, chunks, index, threads)) {
      try {
        for (let row = ctl[first + i], end = ctl[first + i + 1]; row < end; row++) {
          const r = ${ROW_FLOATS} * row;
          rows[r + ${RESULT}] = fns[rows[r]](rows[r + 1], rows[r + 2], rows[r + 3], rows[r + 4], rows[r + 5], rows[r + 6], rows[r + 7], rows[r + 8]) ?? 0;
        }
      } catch (error) {
        Atomics.compareExchange(ctl, ${CONTROL.ERROR}, 0, index + 1);
      }
    }
    Atomics.add(ctl, ${CONTROL.DONE}, 1);
    if (Atomics.load(ctl, ${CONTROL.MAIN_ASLEEP}) !== 0) Atomics.notify(ctl, ${CONTROL.DONE});
  }
  close();
};
`;
