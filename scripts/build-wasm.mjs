// Builds every target of asconfig.json into build/ — only when a source is newer than its output,
// so `npm test` and `npm start` rebuild just what changed. `--force` rebuilds everything.
// Every target compiles the one entry, assembly/index.ts ("entries"), so every build exports the same
// names; targets differ in features (SIMD, relaxed SIMD, threads) and in asserts: the *-debug targets
// (noAssert false) write to build/debug/, which the package's "files" (build/*.wasm) leaves out.
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
  const { error, stderr } = await asc.main(["--config", join(root, "asconfig.json"), "--target", target], {});
  if (error) {
    console.error(`build-wasm: target ${target} failed\n${stderr.toString()}`);
    process.exit(1);
  }
  console.error(`build-wasm: ${options.outFile}`);
}
