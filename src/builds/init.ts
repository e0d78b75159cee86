import { initOptions, type InitOptions } from "../options.js";
import type { WasmBuild } from "./builds.js";
import { chooseBuilds } from "./choose.js";
import { loadedBuild, useSources } from "./load.js";

/**
 * Loads the WebAssembly builds the wasm backend will use (optional: `train` and `TwoLayerNet.create`
 * load them on first use). Call it first where the shipped files cannot be fetched or compiled — for
 * example in Cloudflare Workers, pass the imported modules: `init({ wasm: { simd: module } })`.
 * Returns the single-thread build that is ready, and the threaded one if `threads` asked for it and
 * this runtime can run it. An init that fails leaves the sources and loaded builds as they were.
 */
export async function init(options?: InitOptions): Promise<{ build: WasmBuild; threaded?: WasmBuild }> {
  const config = initOptions(options);
  const restore = useSources(config.wasm);
  try {
    const choice = await chooseBuilds(config);
    await loadedBuild(choice.single);
    if (choice.threaded === undefined) return { build: choice.single };
    await loadedBuild(choice.threaded);
    return { build: choice.single, threaded: choice.threaded };
  } catch (error) {
    restore(); // a failed init changes nothing: the builds that worked before still do
    throw error;
  }
}
