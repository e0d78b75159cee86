// Rollup's standard plugins and nothing else: node-resolve finds "twolayer" in node_modules (its
// `default` condition), import-meta-assets copies the .wasm files its `new URL(…)`s name.
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { importMetaAssets } from "@web/rollup-plugin-import-meta-assets";

export default {
  input: "main.js",
  output: { dir: "dist", format: "es" },
  plugins: [nodeResolve(), importMetaAssets()],
};
