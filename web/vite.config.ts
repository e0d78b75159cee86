// The demo page and the bench page (bench.html): `npm run web` serves them, `npm run web:build`
// writes a static site with both to web/dist/.
// "twolayer" is this repository's package (build it first; the npm scripts do) or, for the runtime
// tests, the packed tarball installed elsewhere (TWOLAYER_PACKAGE): Vite resolves it through the
// package's `browser` condition and copies the .wasm files the entry names into the build.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const pkg = process.env.TWOLAYER_PACKAGE ?? fileURLToPath(new URL("..", import.meta.url));
// Cross-origin isolation (COOP/COEP) gives the page SharedArrayBuffer, which threads need.
const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  // twolayer/bench is the file the package's exports name for it (an alias to a directory would skip them).
  resolve: { alias: [{ find: /^twolayer$/, replacement: pkg }, { find: /^twolayer\/bench$/, replacement: join(pkg, "dist/bench/index.js") }] },
  server: { host: "127.0.0.1", headers: isolation },
  preview: { host: "127.0.0.1", headers: isolation },
  worker: { format: "es" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Keep each .wasm a file of its own (served as application/wasm, compiled while streaming)
    // rather than a base64 data: URL inside the script.
    assetsInlineLimit: (file) => (file.endsWith(".wasm") ? false : undefined),
    rollupOptions: { input: { main: fileURLToPath(new URL("index.html", import.meta.url)), bench: fileURLToPath(new URL("bench.html", import.meta.url)) } },
  },
});
