// Builds every target of asconfig.json into build/ — only when a source is newer than its output,
// so `npm test` and `npm start` rebuild just what changed. `--force` rebuilds everything.
// Each target names its entry file in "entry" (a key of ours, which asc ignores): the scalar build
// exports assembly/index.ts, the SIMD builds assembly/index-simd.ts (the same plus the micro-kernels).
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import asc from "assemblyscript/asc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const config = JSON.parse(readFileSync(join(root, "asconfig.json"), "utf8"));
const force = process.argv.includes("--force");

const sources = [join(root, "asconfig.json"), join(root, "scripts/build-wasm.mjs")];
for (const name of readdirSync(join(root, "assembly"))) sources.push(join(root, "assembly", name));
const newestSource = Math.max(...sources.map((file) => statSync(file).mtimeMs));

for (const [target, options] of Object.entries(config.targets)) {
  const out = join(root, options.outFile);
  if (!force && existsSync(out) && statSync(out).mtimeMs >= newestSource) continue;
  const { error, stderr } = await asc.main([join(root, options.entry), "--config", join(root, "asconfig.json"), "--target", target], {});
  if (error) {
    console.error(`build-wasm: target ${target} failed\n${stderr.toString()}`);
    process.exit(1);
  }
  console.error(`build-wasm: ${options.outFile}`);
}
