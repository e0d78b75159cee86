// Several threads over one shared WebAssembly.Memory: the main thread is thread 0 and `threads − 1`
// workers are threads 1 …; each network with threads > 1 owns a pool (started by
// TwoLayerNet.create, closed by dispose()). A job is cut into chunks, each one kernel call or a
// sequence of them that one thread runs in order; thread t owns a contiguous run of chunks and takes
// the others' leftovers when done with its own (assembly/threads.ts), so a thread the OS deschedules
// does not stall the step. The main thread runs chunks too, then waits for the workers: polling
// Atomics.load first (a barrier then costs about a microsecond instead of the 13–42 µs of waking a
// sleeping thread), then sleeping in Atomics.wait where it may (Node; a browser's main thread may not
// sleep, so it keeps polling).
import type { LoadedBuild, WasmExports } from "../builds/builds.js";
import { disposedError } from "../errors.js";
import { runtime, sharedMemoryUnavailable, type WorkerHandle } from "../runtime.js";
import { wasmSpace } from "../wasm-space.js";
import { reserve, type Space } from "../memory.js";
import { CONTROL, QUIT, RESULT, ROW_FLOATS, firstWord, rowsByte, workerSource, type WorkerInit } from "./worker-source.js";

/**
 * Atomics.load polls (about 10 ns each) before a thread sleeps: long enough to catch the next job of
 * the same step, short enough not to slow the other thread much (on this machine a core polling in a
 * tight loop slowed the other one by up to 1.8×, as hyperthreads of one core would).
 */
const SPIN = 5_000;

/** The export names a chunk may run, indexed by op. */
export const OPS = [
  "gemm_pn_f64", "gemm_pn_f32", "gemm_tn_f64", "gemm_tn_f32", "sgd_f64", "sgd_f32",
  // The Gram form's parts (gram-parts.ts).
  "copy_relu_forward_f64", "copy_relu_forward_f32", "gemm_nn_f64", "gemm_nn_f32", "gemm_nt_mask_f64", "gemm_nt_mask_f32",
  "gemm_pn_acc_f64", "gemm_pn_acc_f32", "sgd_check_f64", "sgd_check_f32",
] as const;
export type Op = (typeof OPS)[number];
const OP_INDEX = new Map<string, number>(OPS.map((op, i) => [op, i]));

/** The most chunks of one job: 4 per thread (threaded-kernels.ts cuts a product into at most that many). */
function maxChunks(threads: number): number {
  return 4 * threads;
}

/** The most calls of one job: a Gram-form part is a sequence of up to 5 (gram-parts.ts). */
function maxRows(threads: number): number {
  return 8 * threads;
}

/** `threads − 1` workers on one shared memory, the control block they watch, and the scratch the jobs use. */
export class ThreadPool {
  /** The most chunks, and calls, one job may have. */
  readonly maxChunks: number;
  readonly maxRows: number;
  private readonly ctl: Int32Array;
  /** The job being written: its rows and chunks so far (chunk i is rows [first[i], first[i + 1])). */
  private rowCount = 0;
  private chunkCount = 0;
  private readonly first: number;
  private readonly rows: Float64Array;
  private readonly fns: ((...args: number[]) => number | void)[];
  private readonly takeChunk: WasmExports["take_chunk"];
  /** Scratch blocks (byte offsets) and the bytes each holds: see scratch(). */
  private scratchOffsets: number[] = [];
  private scratchBytes = 0;
  private closed = false;

  private constructor(
    readonly threads: number,
    private readonly workers: WorkerHandle[],
    private readonly space: Space,
    private readonly control: number,
    private readonly controlBytes: number,
    private readonly mainMayWait: boolean,
    loaded: LoadedBuild,
  ) {
    this.maxChunks = maxChunks(threads);
    this.maxRows = maxRows(threads);
    this.first = firstWord(threads);
    this.ctl = new Int32Array(loaded.memory.buffer, control, this.first + this.maxChunks + 1);
    this.rows = new Float64Array(loaded.memory.buffer, control + rowsByte(threads, this.maxChunks), ROW_FLOATS * this.maxRows);
    this.fns = OPS.map((name) => loaded.exports[name]);
    this.takeChunk = loaded.exports.take_chunk;
  }

  /** Starts `threads − 1` workers on the loaded threaded build; rejects with the reason if they cannot start. */
  static async start(loaded: LoadedBuild, threads: number): Promise<ThreadPool> {
    const { workers: starter } = await runtime();
    if (typeof starter === "string") throw new Error(starter);
    const shared = sharedMemoryUnavailable();
    if (shared !== undefined) throw new Error(shared);
    const space = wasmSpace(loaded.exports);
    const controlBytes = rowsByte(threads, maxChunks(threads)) + 8 * ROW_FLOATS * maxRows(threads);
    const control = reserve(space, controlBytes, "the thread pool's control block");
    new Uint8Array(loaded.memory.buffer, control, controlBytes).fill(0);
    const source = workerSource(starter.kind);
    const workers: WorkerHandle[] = [];
    try {
      await Promise.all(
        Array.from({ length: threads - 1 }, (_, i) =>
          new Promise<void>((resolve, reject) => {
            const worker = starter.start(
              source,
              (message) => {
                if (message.error) reject(new Error(message.error));
                else if (message.ready) {
                  worker.detach();
                  resolve();
                }
              },
              (error) => reject(error instanceof Error ? error : new Error(String((error as { message?: unknown })?.message ?? error))),
            );
            workers.push(worker);
            const init: WorkerInit = {
              module: loaded.module, memory: loaded.memory, control, rowsByte: rowsByte(threads, maxChunks(threads)),
              maxChunks: maxChunks(threads), maxRows: maxRows(threads), index: i + 1, threads, ops: [...OPS], spin: SPIN,
            };
            worker.post(init);
          }),
        ),
      );
    } catch (error) {
      for (const worker of workers) worker.terminate();
      space.release(control, controlBytes);
      throw error;
    }
    return new ThreadPool(threads, workers, space, control, controlBytes, starter.mainMayWait, loaded);
  }

  /**
   * `count` scratch blocks of at least `bytes` each (16-byte aligned), as byte offsets: reserved the
   * first time they are asked for and kept, reserved anew only when a larger size is asked for.
   */
  scratch(count: number, bytes: number): readonly number[] {
    if (this.closed) throw disposedError();
    if (count > this.scratchOffsets.length || bytes > this.scratchBytes) {
      const size = Math.max(bytes, this.scratchBytes);
      const wanted = Math.max(count, this.scratchOffsets.length);
      const offsets: number[] = [];
      try {
        for (let i = 0; i < wanted; i++) offsets.push(reserve(this.space, size, "the threads' partial products"));
      } catch (cause) {
        for (const offset of offsets) this.space.release(offset, size);
        throw cause;
      }
      this.releaseScratch();
      this.scratchOffsets = offsets;
      this.scratchBytes = size;
    }
    return this.scratchOffsets;
  }

  private releaseScratch(): void {
    for (const offset of this.scratchOffsets) this.space.release(offset, this.scratchBytes);
    this.scratchOffsets = [];
    this.scratchBytes = 0;
  }

  /**
   * Adds a call to the next job's current chunk (the calls of a chunk run in order, on one thread):
   * an export and its arguments. Returns its row, whose result() the call's return value is after run().
   */
  call(op: Op, a1: number, a2: number, a3: number, a4: number, a5 = 0, a6 = 0, a7 = 0, a8 = 0): number {
    if (this.rowCount === this.maxRows) throw new Error(`a thread pool job has at most ${this.maxRows} calls`);
    const rows = this.rows;
    const row = this.rowCount++;
    const r = ROW_FLOATS * row;
    rows[r] = OP_INDEX.get(op)!;
    rows[r + 1] = a1;
    rows[r + 2] = a2;
    rows[r + 3] = a3;
    rows[r + 4] = a4;
    rows[r + 5] = a5;
    rows[r + 6] = a6;
    rows[r + 7] = a7;
    rows[r + 8] = a8;
    rows[r + RESULT] = 0;
    return row;
  }

  /** A chunk of one call: call() then endChunk(). */
  chunk(op: Op, a1: number, a2: number, a3: number, a4: number, a5 = 0, a6 = 0, a7 = 0, a8 = 0): void {
    this.call(op, a1, a2, a3, a4, a5, a6, a7, a8);
    this.endChunk();
  }

  /** Ends the current chunk: the calls added since the last endChunk() (at least one). */
  endChunk(): void {
    const { ctl, first } = this;
    const start = this.chunkCount === 0 ? 0 : ctl[first + this.chunkCount];
    if (this.rowCount === start) throw new Error("a thread pool chunk needs a call");
    if (this.chunkCount === this.maxChunks) throw new Error(`a thread pool job has at most ${this.maxChunks} chunks`);
    ctl[first] = 0;
    ctl[first + ++this.chunkCount] = this.rowCount;
  }

  /** What the call in `row` returned in the last run() (0 if it returns nothing). */
  result(row: number): number {
    return this.rows[ROW_FLOATS * row + RESULT];
  }

  /** Runs the chunks ended since the last run on every thread, this one included; returns when all are done. */
  run(): void {
    if (this.closed) throw disposedError();
    const { ctl, rows, fns, threads, control, first } = this;
    const chunks = this.chunkCount;
    this.chunkCount = 0;
    this.rowCount = 0;
    Atomics.store(ctl, CONTROL.CHUNKS, chunks);
    for (let t = 0; t < threads; t++) Atomics.store(ctl, CONTROL.NEXT + t, 0);
    Atomics.store(ctl, CONTROL.DONE, 0);
    Atomics.add(ctl, CONTROL.EPOCH, 1);
    if (Atomics.load(ctl, CONTROL.SLEEPERS) > 0) Atomics.notify(ctl, CONTROL.EPOCH);
    let failed: unknown;
    const counters = control + 4 * CONTROL.NEXT;
    for (let i = this.takeChunk(counters, chunks, 0, threads); i >= 0; i = this.takeChunk(counters, chunks, 0, threads)) {
      try {
        for (let row = ctl[first + i], end = ctl[first + i + 1]; row < end; row++) {
          const r = ROW_FLOATS * row;
          rows[r + RESULT] = fns[rows[r]](rows[r + 1], rows[r + 2], rows[r + 3], rows[r + 4], rows[r + 5], rows[r + 6], rows[r + 7], rows[r + 8]) ?? 0;
        }
      } catch (error) {
        failed ??= error;
      }
    }
    this.join();
    const worker = Atomics.exchange(ctl, CONTROL.ERROR, 0);
    if (failed !== undefined) throw failed;
    if (worker !== 0) throw new Error(`worker thread ${worker - 1} failed while running a kernel`);
  }

  private join(): void {
    const { ctl } = this;
    const workers = this.threads - 1;
    for (let spins = 0; spins < SPIN; spins++) if (Atomics.load(ctl, CONTROL.DONE) === workers) return;
    if (!this.mainMayWait) {
      while (Atomics.load(ctl, CONTROL.DONE) !== workers);
      return;
    }
    Atomics.store(ctl, CONTROL.MAIN_ASLEEP, 1);
    for (let done = Atomics.load(ctl, CONTROL.DONE); done !== workers; done = Atomics.load(ctl, CONTROL.DONE)) {
      Atomics.wait(ctl, CONTROL.DONE, done);
    }
    Atomics.store(ctl, CONTROL.MAIN_ASLEEP, 0);
  }

  /** Ends the workers and returns the control block and the scratch. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const { ctl } = this;
    Atomics.store(ctl, CONTROL.CHUNKS, QUIT);
    Atomics.add(ctl, CONTROL.EPOCH, 1);
    Atomics.notify(ctl, CONTROL.EPOCH);
    for (const worker of this.workers) worker.terminate();
    this.releaseScratch();
    this.space.release(this.control, this.controlBytes);
  }
}
