// The `browser`, `deno` and `default` entry (and `main`, which Parcel and other tools that ignore
// `exports` read): the shipped .wasm files are named by URLs beside this module, each written out
// whole in `new URL("…", import.meta.url)` so that bundlers (Vite, webpack, Rollup's import-meta-assets
// plugin, Parcel) see the file, copy it into the build and rewrite the URL. The loader fetches it
// (compiled while it streams in, which needs the server to send `Content-Type: application/wasm`), or
// reads it with node:fs where it is a file: URL in Node, where tools that know only the `default`
// condition may run this entry.
import type { WasmBuild } from "./builds/builds.js";
import { noShippedFile, setShippedWasm } from "./builds/source.js";

function url(build: WasmBuild): URL {
  switch (build) {
    case "simd":
      return new URL("../build/twolayer.simd.wasm", import.meta.url);
    case "scalar":
      return new URL("../build/twolayer.scalar.wasm", import.meta.url);
    case "fma":
      return new URL("../build/twolayer.fma.wasm", import.meta.url);
    case "threads":
      return new URL("../build/twolayer.threads.wasm", import.meta.url);
    case "threads-fma":
      return new URL("../build/twolayer.threads-fma.wasm", import.meta.url);
    default:
      throw noShippedFile(build, "the browser entry");
  }
}

setShippedWasm(url);

export * from "./index.js";
