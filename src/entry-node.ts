// The `node` and `bun` entry: the shipped .wasm files are read from disk with node:fs (Node 20's
// fetch cannot read file: URLs, and Bun's `import x from "./k.wasm"` yields a path, not a module).
import { readFile } from "node:fs/promises";
import { BUILD_FILES } from "./builds/builds.js";
import { setShippedWasm } from "./builds/source.js";

setShippedWasm(async (build) => {
  const bytes = await readFile(new URL(`../build/${BUILD_FILES[build]}`, import.meta.url));
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
});

export * from "./index.js";
