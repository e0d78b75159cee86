import { TwoLayerError } from "./errors.js";
import { BYTES, panelsLength, type Block, type DType, type Kernels } from "./kernels.js";
import type { LoadedBuild, WasmExports } from "./loader.js";
import type { Space } from "./memory.js";
import { CONTROL, QUIT, ROW_FLOATS, rowsByte, workerSource, type WorkerInit } from "./threads-worker.js";
import { wasmFunctions, wasmKernels } from "./wasm-kernels.js";

// Several threads over one shared WebAssembly.Memory: the main thread is thread 0 and `threads − 1`
// workers are threads 1 …; each network with threads > 1 owns its workers (started by
// TwoLayerNet.create, ended by dispose()). A job is cut into chunks; thread t owns a contiguous run
// of them and takes the others' leftovers when done with its own (assembly/threads.ts), so a thread
// the OS deschedules does not stall the step. The main thread runs chunks too, then waits for the
// workers: polling Atomics.load first (a barrier then costs about a microsecond instead of the
// 13–42 µs of waking a sleeping thread), then sleeping in Atomics.wait where it may (Node; a browser's
// main thread may not sleep, so it keeps polling).
//
// What runs on several threads, and in which summation order. Chunk boundaries depend only on the
// sizes and the thread count T, never on which thread ran a chunk, so runs repeat bit for bit for a
// given T:
// - h = x·w1 (gemm_pn): K is cut into C = 2T ranges [⌊i·K/C⌋, ⌊(i+1)·K/C⌋); each range's product is
//   summed in increasing p into its own buffer, and the C partial products are added in range order:
//   h = ((h_0 + h_1) + h_2) + …. This is the one place threads change the order of a sum (and so the
//   last bits of a result) compared with one thread.
// - grad_w1 = xᵀ·grad_h (gemm_tn): C = 4T ranges of w1's rows (multiples of 4), each element summed
//   exactly as on one thread.
// - sgd: C = 4T ranges of [w1 | w2], element-wise as on one thread.
// Everything else (the small products, ReLU, the loss) runs on the main thread.

/** Below these sizes a job runs on the main thread alone: waking workers would cost more than it saves. */
const MIN_SPLIT_MACS = 1 << 18;
const MIN_SPLIT_ELEMENTS = 1 << 15;

/**
 * Atomics.load polls (about 10 ns each) before a thread sleeps: long enough to catch the next job of
 * the same step, short enough not to slow the other thread much (on this machine a core polling in a
 * tight loop slowed the other one by up to 1.8×, as hyperthreads of one core would).
 */
const SPIN = 5_000;

/** How a worker is created: Node's worker_threads (Node, Bun) or Web Workers (browsers, Deno). */
interface WorkerHandle {
  post(message: WorkerInit): void;
  /** Called once the worker is ready: from then on it must not keep the process alive. */
  detach(): void;
  terminate(): void;
}

type Platform = {
  start(onMessage: (message: { ready?: boolean; error?: string }) => void, onError: (error: unknown) => void): WorkerHandle;
  /** Whether the main thread may sleep in Atomics.wait. */
  mainMayWait: boolean;
};

/** The Web Workers' script, made once per page. */
let webWorkerUrl: string | undefined;

async function platform(): Promise<Platform | string> {
  if (typeof SharedArrayBuffer !== "function") {
    return "SharedArrayBuffer is not available here (a browser page has it only when cross-origin isolated: serve it with Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers)";
  }
  const g = globalThis as { process?: { versions?: { node?: string } }; Deno?: unknown; Worker?: unknown; crossOriginIsolated?: boolean; Blob?: typeof Blob; URL?: typeof URL };
  if (typeof g.process?.versions?.node === "string" && g.Deno === undefined) {
    try {
      const name = "node:worker_threads";
      const { Worker } = (await import(/* @vite-ignore */ name)) as typeof import("node:worker_threads");
      return {
        mainMayWait: true,
        start(onMessage, onError) {
          const worker = new Worker(workerSource("node"), { eval: true });
          worker.on("message", onMessage);
          worker.on("error", onError);
          return {
            post: (message) => worker.postMessage(message),
            // Ready workers wait in Atomics.wait, which would keep Node from exiting: unref them, after
            // removing the message listener (which refs the worker again).
            detach() {
              worker.off("message", onMessage);
              worker.unref();
            },
            terminate: () => void worker.terminate(),
          };
        },
      };
    } catch (error) {
      return `worker_threads could not be loaded (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  if (typeof g.Worker !== "function") return "this runtime has no Worker (Cloudflare Workers and other edge runtimes have none)";
  if (g.crossOriginIsolated === false) {
    return "this page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers)";
  }
  webWorkerUrl ??= URL.createObjectURL(new Blob([workerSource("web")], { type: "text/javascript" }));
  const url = webWorkerUrl;
  return {
    mainMayWait: false,
    start(onMessage, onError) {
      const worker = new Worker(url, { type: "module" });
      worker.onmessage = (event) => onMessage(event.data);
      worker.onerror = (event) => onError(event);
      return { post: (message) => worker.postMessage(message), detach() {}, terminate: () => worker.terminate() };
    },
  };
}

/** Why threads cannot be used here, or undefined if they can (a quick check; starting workers may still fail). */
export async function threadsUnavailable(): Promise<string | undefined> {
  const p = await platform();
  return typeof p === "string" ? p : undefined;
}

/** How many threads `threads: "auto"` means: the cores this process may use. */
export async function autoThreads(): Promise<number> {
  const g = globalThis as { navigator?: { hardwareConcurrency?: number }; process?: { versions?: { node?: string } } };
  if (typeof g.process?.versions?.node === "string") {
    try {
      const name = "node:os";
      const os = (await import(/* @vite-ignore */ name)) as typeof import("node:os");
      return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
    } catch {
      // fall through
    }
  }
  return Math.max(1, g.navigator?.hardwareConcurrency ?? 1);
}

/** The export names a chunk may run, indexed by op. */
const OPS = ["gemm_pn_f64", "gemm_pn_f32", "gemm_tn_f64", "gemm_tn_f32", "sgd_f64", "sgd_f32"] as const;
type Op = (typeof OPS)[number];

/** `threads − 1` workers on one shared memory, and the control block they watch. */
export class ThreadPool {
  /** The most chunks one job may have. */
  readonly maxChunks: number;
  private readonly ctl: Int32Array;
  private readonly rows: Float64Array;
  private readonly fns: ((...args: number[]) => void)[];
  private readonly takeChunk: WasmExports["take_chunk"];
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
    this.maxChunks = 4 * threads;
    this.ctl = new Int32Array(loaded.memory.buffer, control, CONTROL.NEXT + threads);
    this.rows = new Float64Array(loaded.memory.buffer, control + rowsByte(threads), ROW_FLOATS * this.maxChunks);
    this.fns = OPS.map((name) => loaded.exports[name]);
    this.takeChunk = loaded.exports.take_chunk;
  }

  /** Starts `threads − 1` workers on the loaded threaded build; rejects with the reason if they cannot start. */
  static async start(loaded: LoadedBuild, threads: number, space: Space): Promise<ThreadPool> {
    const p = await platform();
    if (typeof p === "string") throw new Error(p);
    const maxChunks = 4 * threads;
    const controlBytes = rowsByte(threads) + 8 * ROW_FLOATS * maxChunks;
    const control = space.reserve(controlBytes);
    new Uint8Array(loaded.memory.buffer, control, controlBytes).fill(0);
    const workers: WorkerHandle[] = [];
    try {
      await Promise.all(
        Array.from({ length: threads - 1 }, (_, i) =>
          new Promise<void>((resolve, reject) => {
            const worker = p.start(
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
              module: loaded.module, memory: loaded.memory, control, rowsByte: rowsByte(threads), maxChunks,
              index: i + 1, threads, ops: [...OPS], spin: SPIN,
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
    return new ThreadPool(threads, workers, space, control, controlBytes, p.mainMayWait, loaded);
  }

  /** Sets chunk i of the next job (0 ≤ i < maxChunks): an export and its arguments. */
  chunk(i: number, op: Op, a1: number, a2: number, a3: number, a4: number, a5 = 0, a6 = 0, a7 = 0): void {
    const rows = this.rows;
    const r = ROW_FLOATS * i;
    rows[r] = OPS.indexOf(op);
    rows[r + 1] = a1;
    rows[r + 2] = a2;
    rows[r + 3] = a3;
    rows[r + 4] = a4;
    rows[r + 5] = a5;
    rows[r + 6] = a6;
    rows[r + 7] = a7;
  }

  /** Runs chunks [0, chunks) set with `chunk` on every thread, this one included; returns when all are done. */
  run(chunks: number): void {
    if (this.closed) throw new TwoLayerError("DISPOSED", "this network was disposed; create a new one");
    const { ctl, rows, fns, threads, control } = this;
    Atomics.store(ctl, CONTROL.CHUNKS, chunks);
    for (let t = 0; t < threads; t++) Atomics.store(ctl, CONTROL.NEXT + t, 0);
    Atomics.store(ctl, CONTROL.DONE, 0);
    Atomics.add(ctl, CONTROL.EPOCH, 1);
    if (Atomics.load(ctl, CONTROL.SLEEPERS) > 0) Atomics.notify(ctl, CONTROL.EPOCH);
    let failed: unknown;
    const counters = control + 4 * CONTROL.NEXT;
    for (let i = this.takeChunk(counters, chunks, 0, threads); i >= 0; i = this.takeChunk(counters, chunks, 0, threads)) {
      const r = ROW_FLOATS * i;
      try {
        fns[rows[r]](rows[r + 1], rows[r + 2], rows[r + 3], rows[r + 4], rows[r + 5], rows[r + 6], rows[r + 7]);
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

  /** Ends the workers and returns the control block. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const { ctl } = this;
    Atomics.store(ctl, CONTROL.CHUNKS, QUIT);
    Atomics.add(ctl, CONTROL.EPOCH, 1);
    Atomics.notify(ctl, CONTROL.EPOCH);
    for (const worker of this.workers) worker.terminate();
    this.space.release(this.control, this.controlBytes);
  }
}

/** How many partial products of h a network on `threads` threads needs: one per K range but the first. */
export function partialCount(threads: number): number {
  return 2 * threads - 1;
}

/**
 * The kernels of a network on `pool.threads` threads: the threaded build's kernels, with the two big
 * matrix products and sgd cut into chunks as the comment at the top of this file says. `partials` are
 * partialCount(threads) blocks of `capacity` elements for gemm_pn's partial products.
 */
export function threadedKernels(loaded: LoadedBuild, dtype: DType, pool: ThreadPool, partials: Block[], capacity: number): Kernels {
  const one = wasmKernels(loaded.exports, loaded.build, dtype);
  const f = wasmFunctions(loaded.exports, dtype);
  const S = BYTES[dtype];
  const T = pool.threads;
  const pnOp: Op = `gemm_pn_${dtype}`;
  const tnOp: Op = `gemm_tn_${dtype}`;
  const sgdOp: Op = dtype === "f64" ? "sgd_f64" : "sgd_f32";
  return {
    ...one,
    gemm_pn(c: Block, panels: Block, b: Block, m: number, k: number, n: number) {
      const C = 2 * T;
      if (m * k * n < MIN_SPLIT_MACS || k < C || m * n > capacity) return one.gemm_pn(c, panels, b, m, k, n);
      const lda = panelsLength(4, k);
      const p = (i: number) => Math.floor((i * k) / C);
      for (let i = 0; i < C; i++) {
        const out = i === 0 ? c.offset : partials[i - 1].offset;
        pool.chunk(i, pnOp, out, panels.offset + 4 * p(i) * S, b.offset + p(i) * n * S, m, p(i + 1) - p(i), n, lda);
      }
      pool.run(C);
      for (let i = 1; i < C; i++) f.accumulate(c.offset, partials[i - 1].offset, m * n); // h = ((h_0 + h_1) + h_2) + …
    },
    gemm_tn(c: Block, a: Block, b: Block, m: number, k: number, n: number) {
      const quads = Math.ceil(m / 4);
      const C = Math.min(4 * T, quads);
      if (m * k * n < MIN_SPLIT_MACS || C < 2) return one.gemm_tn(c, a, b, m, k, n);
      const row = (i: number) => Math.min(m, 4 * Math.floor((i * quads) / C));
      for (let i = 0; i < C; i++) pool.chunk(i, tnOp, c.offset + row(i) * n * S, a.offset + row(i) * S, b.offset, row(i + 1) - row(i), k, n, m);
      pool.run(C);
    },
    sgd(w: Block, g: Block, lr: number, len: number) {
      if (len < MIN_SPLIT_ELEMENTS) return one.sgd(w, g, lr, len);
      const C = 4 * T;
      const at = (i: number) => (i === C ? len : 4 * Math.floor((i * Math.floor(len / 4)) / C));
      for (let i = 0; i < C; i++) pool.chunk(i, sgdOp, w.offset + at(i) * S, g.offset + at(i) * S, lr, at(i + 1) - at(i));
      pool.run(C);
    },
  };
}
