import { initOptions, type InitOptions } from "../options.js";
import type { WasmBuild } from "./builds.js";
import { chooseBuilds } from "./choose.js";
import { loadedBuild, useSource } from "./load.js";

/**
 * Loads the WebAssembly builds the wasm backend will use (optional: `train` and `TwoLayerNet.create`
 * load them on first use). Call it first where the shipped files cannot be fetched or compiled — for
 * example in Cloudflare Workers, pass the imported modules: `init({ wasm: { simd: module } })`.
 * Returns the single-thread build that is ready, and the threaded one if `threads` asked for it and
 * this runtime can run it.
 */
export async function init(options?: InitOptions): Promise<{ build: WasmBuild; threaded?: WasmBuild }> {
  const config = initOptions(options);
  for (const [build, source] of config.wasm) useSource(build, source);
  const choice = await chooseBuilds(config);
  await loadedBuild(choice.single);
  if (choice.threaded === undefined) return { build: choice.single };
  await loadedBuild(choice.threaded);
  return { build: choice.single, threaded: choice.threaded };
}
