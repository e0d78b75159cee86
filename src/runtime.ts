// Which JavaScript runtime this is, and what it offers the package: worker threads, shared memory,
// how many cores. The one place that looks at the runtime's globals; everything else asks here.

/** The runtimes twolayer knows apart (by their globals, in this order). */
export type RuntimeName = "deno" | "bun" | "node" | "workerd" | "browser" | "other";

/** A started worker thread, the same shape for Node's worker_threads and Web Workers. */
export interface WorkerHandle {
  post(message: unknown): void;
  /** Called once the worker is ready: from then on it must not keep the process alive. */
  detach(): void;
  terminate(): void;
}

/** How this runtime starts worker threads. */
export interface WorkerStarter {
  /** Which flavour of worker code it runs: Node's worker_threads (Node, Bun) or Web Workers. */
  readonly kind: "node" | "web";
  /** Whether the main thread may sleep in Atomics.wait (Node may; a browser's main thread may not). */
  readonly mainMayWait: boolean;
  /** Starts a worker running `source` (JavaScript text for this kind). */
  start(source: string, onMessage: (message: { ready?: boolean; error?: string }) => void, onError: (error: unknown) => void): WorkerHandle;
}

export interface Runtime {
  readonly name: RuntimeName;
  /** Node's major version (Node only; Bun and Deno report the Node version they emulate, so undefined there). */
  readonly nodeMajor?: number;
  /** The cores this process may use: what `threads: "auto"` means. */
  readonly cores: number;
  /** How to start workers here, or why we cannot (a sentence for a fallback message). */
  readonly workers: WorkerStarter | string;
}

type Globals = {
  Deno?: unknown;
  Bun?: unknown;
  process?: { versions?: { node?: string } };
  navigator?: { userAgent?: string; hardwareConcurrency?: number };
  document?: unknown;
  Worker?: unknown;
  crossOriginIsolated?: boolean;
};
const g = globalThis as Globals;

// Node's built-in modules are imported by a name the bundlers cannot see, so that a browser bundle
// neither tries to resolve them nor warns about the expression (webpack's "Critical dependency").
function nodeModule<T>(name: string): Promise<T> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ name) as Promise<T>;
}

function sniff(): { name: RuntimeName; nodeMajor?: number } {
  if (g.Deno !== undefined) return { name: "deno" };
  if (g.Bun !== undefined) return { name: "bun" };
  const node = g.process?.versions?.node;
  if (typeof node === "string") return { name: "node", nodeMajor: Number(node.split(".")[0]) };
  if (g.navigator?.userAgent === "Cloudflare-Workers") return { name: "workerd" };
  if (g.document !== undefined || typeof g.Worker === "function") return { name: "browser" };
  return { name: "other" };
}

/** The name of this runtime, known without waiting (no module is imported). */
export const RUNTIME: { readonly name: RuntimeName; readonly nodeMajor?: number } = sniff();

/** Whether `file:` URLs are read with node:fs: Node's fetch cannot read them; Bun and Deno 2 have node:fs too. */
export const readsFilesWithFs = typeof g.process?.versions?.node === "string";

/** Imports a Node built-in (node:fs/promises, node:v8, …) in Node and Bun. */
export function importNode<T>(name: string): Promise<T> {
  return nodeModule<T>(name);
}

async function cores(): Promise<number> {
  if (RUNTIME.name === "node" || RUNTIME.name === "bun") {
    try {
      const os = await nodeModule<typeof import("node:os")>("node:os");
      return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
    } catch {
      // fall through to navigator
    }
  }
  return Math.max(1, g.navigator?.hardwareConcurrency ?? 1);
}

async function nodeWorkers(): Promise<WorkerStarter | string> {
  let Worker: typeof import("node:worker_threads").Worker;
  try {
    ({ Worker } = await nodeModule<typeof import("node:worker_threads")>("node:worker_threads"));
  } catch (error) {
    return `worker_threads could not be loaded (${error instanceof Error ? error.message : String(error)})`;
  }
  return {
    kind: "node",
    mainMayWait: true,
    start(source, onMessage, onError) {
      const worker = new Worker(source, { eval: true });
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
}

/** The Web Workers' scripts, one Blob URL per source text, made once per page. */
const blobUrls = new Map<string, string>();

function webWorkers(): WorkerStarter | string {
  if (typeof g.Worker !== "function") return "this runtime has no Worker (Cloudflare Workers and other edge runtimes have none)";
  return {
    kind: "web",
    mainMayWait: false,
    start(source, onMessage, onError) {
      let url = blobUrls.get(source);
      if (url === undefined) {
        url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
        blobUrls.set(source, url);
      }
      const worker = new Worker(url, { type: "module" });
      worker.onmessage = (event) => onMessage(event.data);
      worker.onerror = (event) => onError(event);
      return { post: (message) => worker.postMessage(message), detach() {}, terminate: () => worker.terminate() };
    },
  };
}

let answer: Promise<Runtime> | undefined;

/** What this runtime offers, found out once (the first call imports node:os and node:worker_threads in Node). */
export function runtime(): Promise<Runtime> {
  answer ??= (async () => {
    const node = RUNTIME.name === "node" || RUNTIME.name === "bun";
    return { ...RUNTIME, cores: await cores(), workers: node ? await nodeWorkers() : webWorkers() };
  })();
  return answer;
}

/**
 * Why shared WebAssembly memory cannot be had here, or undefined if it can. Checked at each use (a
 * typeof, nothing more), since a page's globals can change under it (polyfills, and our tests).
 */
export function sharedMemoryUnavailable(): string | undefined {
  if (typeof SharedArrayBuffer !== "function") {
    return "SharedArrayBuffer is not available here (a browser page has it only when cross-origin isolated: serve it with Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers)";
  }
  if (g.crossOriginIsolated === false) {
    return "this page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers)";
  }
  return undefined;
}

/** Why threads cannot run here, or undefined if they can (starting the workers may still fail). */
export async function threadsUnavailable(): Promise<string | undefined> {
  const shared = sharedMemoryUnavailable();
  if (shared !== undefined) return shared;
  const { workers } = await runtime();
  return typeof workers === "string" ? workers : undefined;
}
