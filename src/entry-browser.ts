// The `browser` and `deno` entry: the shipped .wasm files are fetched from URLs beside this module
// (compiled while they stream in, which needs the server to send `Content-Type: application/wasm`).
// Each URL is written out whole in `new URL("…", import.meta.url)` so that bundlers (Vite, webpack,
// esbuild, Parcel) see the file, copy it into the build and rewrite the URL.
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

setShippedWasm((build) => fetch(url(build)));

export * from "./index.js";
