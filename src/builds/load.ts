// Instantiating a build from wherever it comes from (source.ts), once: every network on a build
// shares its instance and linear memory.
import { demangle, instantiate } from "@assemblyscript/loader";
import { TwoLayerError } from "../errors.js";
import { isOwnResponse, isResponse, isUrl, isWasmModule } from "../realm.js";
import { importNode, readsFilesWithFs } from "../runtime.js";
import { SHARED_MAXIMUM_PAGES, THREADED_BUILDS, type LoadedBuild, type WasmBuild, type WasmExports, type WasmSource } from "./builds.js";
import { setUserSource, sourceOf, userSource } from "./source.js";
import { buildProblem } from "./verify.js";

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

/**
 * Instantiates a module compiled in another realm (a vm context, Vercel's edge runtime, an iframe).
 * @assemblyscript/loader takes a module only if it is `instanceof WebAssembly.Module`, and would try
 * to compile any other (which fails, and is forbidden where only modules are allowed); the engine
 * instantiates any realm's module, so we do that and hand the exports to the loader's demangle.
 */
async function instantiateForeign(module: WebAssembly.Module, imports: { env?: Record<string, unknown> }) {
  const abort = (_message: number, _file: number, line: number, column: number): never => {
    throw new Error(`wasm abort at ${line}:${column}`); // the loader's own abort decodes the message; ours cannot
  };
  const instance = await WebAssembly.instantiate(module, { env: { ...imports.env, abort } });
  return { module, exports: demangle<Record<string, unknown>>(instance.exports) };
}

/**
 * Instantiates a build from `source` and returns its exports, compiled module and memory. The
 * threaded builds get a new shared memory (1 page, growing to SHARED_MAXIMUM_PAGES), which their
 * workers will share.
 */
export async function loadBuild(build: WasmBuild, source: WasmSource | Promise<WasmSource>): Promise<LoadedBuild> {
  try {
    let input = await source;
    // Brand checks (realm.ts), not instanceof: the value may come from another realm.
    if (typeof input === "string" || isUrl(input)) input = await fetchBytes(new URL(/* webpackIgnore: true */ input, import.meta.url));
    // Streaming compilation insists on Content-Type application/wasm (many servers send another) and on
    // a Response of this realm's Fetch; we read any other Response ourselves.
    if (isResponse(input) && !(isOwnResponse(input) && /^application\/wasm\b/.test(input.headers.get("Content-Type") ?? ""))) {
      if (!input.ok) throw new Error(`HTTP ${input.status} ${input.statusText} for ${input.url || "the wasm file"}`);
      input = await input.arrayBuffer();
    }
    const shared = THREADED_BUILDS.includes(build);
    const memory = shared ? new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAXIMUM_PAGES, shared: true }) : undefined;
    const imports = memory ? { env: { memory } } : {};
    const { exports, module } =
      isWasmModule(input) && !(input instanceof WebAssembly.Module)
        ? await instantiateForeign(input, imports)
        : await instantiate<Record<string, unknown>>(input as WebAssembly.Module | BufferSource | Response | PromiseLike<Response>, imports);
    const wasm = exports as unknown as WasmExports;
    const problem = buildProblem(build, wasm);
    if (problem !== undefined) throw new Error(`the file given is not usable: ${problem}`);
    return { build, exports: wasm, module, memory: memory ?? wasm.memory };
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new TwoLayerError(
      "WASM_UNAVAILABLE",
      `could not load the ${build} WebAssembly build (${why}); pass its file's URL, bytes, a Response or a ` +
        `compiled WebAssembly.Module with init({ wasm: { "${build}": ... } }), or use backend: "js"`,
      { cause, build },
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
    const mine = loading;
    loading.catch(() => loaded.get(build) === mine && loaded.delete(build)); // a failed load may be retried with another source
  }
  return loading;
}

/**
 * Makes each build come from its source from now on (init({ wasm })); a build loaded from elsewhere
 * is loaded again. Returns what puts back the sources replaced and the builds loaded before, for an
 * init that fails: a bad source must not break the builds that worked.
 */
export function useSources(sources: readonly (readonly [WasmBuild, WasmSource])[]): () => void {
  const before = sources.map(([build]) => [build, userSource(build), loaded.get(build)] as const);
  for (const [build, source] of sources) if (setUserSource(build, source)) loaded.delete(build);
  return () => {
    for (const [build, source, loading] of before) {
      setUserSource(build, source);
      if (loading === undefined) loaded.delete(build);
      else loaded.set(build, loading);
    }
  };
}
