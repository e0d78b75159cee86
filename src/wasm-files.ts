import type { WasmBuild, WasmSource } from "./loader.js";

// Where the shipped .wasm files come from depends on the runtime, and each package entry
// (src/entry-*.ts, chosen by the `exports` conditions in package.json) knows its own way: Node and
// Bun read the file, browsers and Deno fetch it, workerd imports it as a compiled module. The entry
// registers that way here once, when it is evaluated; the plain `default` entry registers nothing and
// the loader falls back to its own guess (a URL beside this module, read or fetched).
// package.json lists the entries under "sideEffects" so that bundlers keep this registration.

/** Gives the shipped file of a build in the form this runtime can instantiate. */
export type WasmLocator = (build: WasmBuild) => WasmSource | Promise<WasmSource>;

let locator: WasmLocator | undefined;

/** Called once by a package entry: how this runtime gets the shipped builds. */
export function setShippedWasm(locate: WasmLocator): void {
  locator = locate;
}

/** The shipped file of `build` as the entry's runtime loads it; undefined when no entry registered one. */
export function shippedWasm(build: WasmBuild): WasmSource | Promise<WasmSource> | undefined {
  if (!locator) return undefined;
  try {
    return locator(build);
  } catch (error) {
    return Promise.reject(error); // the loader wraps it in a WASM_UNAVAILABLE TwoLayerError
  }
}

/** Names the build in an error when an entry has no file for it. */
export function noShippedFile(build: string, runtime: string): Error {
  return new Error(`this package ships no "${build}" build for ${runtime}`);
}
