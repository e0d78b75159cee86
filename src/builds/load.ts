// Instantiating a build from wherever it comes from (source.ts), once: every network on a build
// shares its instance and linear memory.
import { instantiate } from "@assemblyscript/loader";
import { TwoLayerError } from "../errors.js";
import { importNode, readsFilesWithFs } from "../runtime.js";
import { SHARED_MAXIMUM_PAGES, THREADED_BUILDS, type LoadedBuild, type WasmBuild, type WasmExports, type WasmSource } from "./builds.js";
import { setUserSource, sourceOf } from "./source.js";

// Node's fetch cannot read file: URLs, so where node:fs exists we read the file ourselves; elsewhere
// we fetch it.
async function fetchBytes(url: URL): Promise<ArrayBuffer | Response> {
  if (url.protocol === "file:" && readsFilesWithFs) {
    const { readFile } = await importNode<typeof import("node:fs/promises")>("node:fs/promises");
    const bytes = await readFile(url);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  return fetch(url);
}

function isResponse(value: unknown): value is Response {
  return typeof Response === "function" && value instanceof Response;
}

/**
 * Instantiates a build from `source` and returns its exports, compiled module and memory. The
 * threaded builds get a new shared memory (1 page, growing to SHARED_MAXIMUM_PAGES), which their
 * workers will share.
 */
export async function loadBuild(build: WasmBuild, source: WasmSource | Promise<WasmSource>): Promise<LoadedBuild> {
  try {
    let input = await source;
    if (typeof input === "string" || input instanceof URL) input = await fetchBytes(new URL(input, import.meta.url));
    // Streaming compilation insists on Content-Type application/wasm; many servers send another.
    if (isResponse(input) && !/^application\/wasm\b/.test(input.headers.get("Content-Type") ?? "")) {
      if (!input.ok) throw new Error(`HTTP ${input.status} ${input.statusText} for ${input.url || "the wasm file"}`);
      input = await input.arrayBuffer();
    }
    const shared = THREADED_BUILDS.includes(build);
    const memory = shared ? new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAXIMUM_PAGES, shared: true }) : undefined;
    const { exports, module } = await instantiate<Record<string, unknown>>(
      input as WebAssembly.Module | BufferSource | Response | PromiseLike<Response>,
      memory ? { env: { memory } } : {},
    );
    const wasm = exports as unknown as WasmExports;
    return { build, exports: wasm, module, memory: memory ?? wasm.memory };
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new TwoLayerError(
      "WASM_UNAVAILABLE",
      `could not load the ${build} WebAssembly build (${why}); pass its file's URL, bytes, a Response or a ` +
        `compiled WebAssembly.Module with init({ wasm: { "${build}": ... } }), or use backend: "js"`,
      { cause },
    );
  }
}

const loaded = new Map<WasmBuild, Promise<LoadedBuild>>();

/** The build, loaded on first use from where source.ts says it comes from, then shared. */
export function loadedBuild(build: WasmBuild): Promise<LoadedBuild> {
  let loading = loaded.get(build);
  if (!loading) {
    loading = loadBuild(build, sourceOf(build));
    loaded.set(build, loading);
    loading.catch(() => loaded.delete(build)); // a failed load may be retried with another source
  }
  return loading;
}

/** Makes `build` come from `source` from now on (init({ wasm })); a build loaded from elsewhere is loaded again. */
export function useSource(build: WasmBuild, source: WasmSource): void {
  if (setUserSource(build, source)) loaded.delete(build);
}
