// Where each build's wasm comes from, decided here and nowhere else, in this order:
// 1. what the caller handed to init({ wasm }) (a URL, bytes, a Response or a compiled Module);
// 2. else what this package entry registered (src/entry-*.ts, chosen by package.json's `exports`
//    conditions: Node and Bun read the file, browsers and Deno fetch it, workerd imports it as a
//    compiled module); package.json lists the entries under "sideEffects" so bundlers keep them;
// 3. else the shipped file's URL beside this module (the plain `default` entry), read or fetched.
import { BUILD_FILES, type WasmBuild, type WasmSource } from "./builds.js";

/** Gives the shipped file of a build in the form this runtime can instantiate. */
export type WasmLocator = (build: WasmBuild) => WasmSource | Promise<WasmSource>;

let entryLocator: WasmLocator | undefined;
const userSources: Partial<Record<WasmBuild, WasmSource>> = {};

/** Called once by a package entry: how this runtime gets the shipped builds. */
export function setShippedWasm(locate: WasmLocator): void {
  entryLocator = locate;
}

/** Records the caller's source for a build (undefined: none); returns whether it changed (so a loaded build is stale). */
export function setUserSource(build: WasmBuild, source: WasmSource | undefined): boolean {
  if (userSources[build] === source) return false;
  if (source === undefined) delete userSources[build];
  else userSources[build] = source;
  return true;
}

/** The caller's source for a build, if init gave one. */
export function userSource(build: WasmBuild): WasmSource | undefined {
  return userSources[build];
}

/** The shipped file of a build, relative to this module (src/builds/ in the repo, dist/builds/ in the package). */
export function defaultWasmUrl(build: WasmBuild): URL {
  // Not a literal, and webpackIgnore: bundlers leave this fallback alone (Rollup's import-meta-assets
  // plugin rejects a template literal without an extension); the package entries name each file
  // with a literal of its own, which bundlers copy.
  const file = `../../build/${BUILD_FILES[build]}`;
  return new URL(/* webpackIgnore: true */ file, import.meta.url);
}

/** Where `build` comes from now: the caller's source, else the entry's, else the default URL. */
export function sourceOf(build: WasmBuild): WasmSource | Promise<WasmSource> {
  const user = userSources[build];
  if (user !== undefined) return user;
  if (entryLocator) {
    try {
      return entryLocator(build);
    } catch (error) {
      return Promise.reject(error); // the loader wraps it in a WASM_UNAVAILABLE TwoLayerError
    }
  }
  return defaultWasmUrl(build);
}

/** Names the build in an error when an entry has no file for it. */
export function noShippedFile(build: string, runtime: string): Error {
  return new Error(`this package ships no "${build}" build for ${runtime}`);
}
