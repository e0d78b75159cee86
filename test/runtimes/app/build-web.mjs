// Builds a page with Vite from inside the app that installed the tarball, the way a user's project
// would: "twolayer" resolves from node_modules through its `browser` condition. Usage:
// node build-web.mjs <vite's package dir> <root> <outDir>
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [viteDir, root, outDir] = process.argv.slice(2);
const { build } = await import(pathToFileURL(join(viteDir, "dist/node/index.js")).href);
await build({ root, configFile: false, logLevel: "warn", build: { outDir, emptyOutDir: true } });
