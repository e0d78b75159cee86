// `npm run test:runtimes`: packs the package, installs the tarball into a fresh app (so a file missing
// from "files" fails), trains the seed network there with Node as the reference, then runs every
// *.test.mjs here one after another with node:test: the package checks, Chromium, the bundlers,
// workerd, Vercel's edge runtime and node:vm, Deno, Bun, Node 20/22/24/26 and vitest under Node 24.
// The runtimes themselves are devDependencies of test/runtimes only, installed here from its lockfile.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run as runTests } from "node:test";
import { spec } from "node:test/reporters";
import { here, repo, runOk } from "./lib.mjs";

const started = Date.now();
const step = (what) => console.log(`runtimes: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

// Steps 1–4 prepare what every suite needs; when one fails, the run fails with its output.
let state;
let work;
try {
  // 1. The runtimes, from test/runtimes/package-lock.json (skipped when that lockfile is installed already).
  const lock = readFileSync(join(here, "package-lock.json"));
  const stamp = join(here, "node_modules", ".twolayer-lock-sha256");
  const hash = createHash("sha256").update(lock).digest("hex");
  if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== hash) {
    step("installing the runtimes (npm ci in test/runtimes)");
    await runOk("npm", ["ci", "--no-audit", "--no-fund"], { cwd: here, timeout: 600_000 });
    writeFileSync(stamp, hash);
  }

  // 2. The tarball, as `npm publish` would make it (prepack builds the wasm and dist/).
  work = mkdtempSync(join(tmpdir(), "twolayer-runtimes-"));
  step(`packing into ${work}`);
  const packed = JSON.parse((await runOk("npm", ["pack", "--json", "--pack-destination", work], { cwd: repo, timeout: 600_000 })).stdout);
  renameSync(join(work, packed[0].filename), join(work, "twolayer.tgz"));

  // 3. An app that installs it, with the scripts every runtime runs and the bundlers' apps (in
  // app/bundlers/). The tools themselves stay in test/runtimes/node_modules, which the work folder
  // links as its own node_modules: resolving from the app, "twolayer" is found in the app's
  // node_modules and the bundlers and their plugins one folder up, as a project's own would be.
  const app = join(work, "app");
  cpSync(join(here, "app"), app, { recursive: true });
  symlinkSync(join(here, "node_modules"), join(work, "node_modules"), "dir");
  step("installing the tarball into a fresh app");
  await runOk("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], { cwd: app, timeout: 300_000 });

  // 4. Node's results are the reference the other runtimes must equal bit for bit.
  step("training the seed network in Node (the reference)");
  const node = JSON.parse((await runOk(process.execPath, ["train.mjs"], { cwd: app })).stdout);
  const nodeMemory = JSON.parse((await runOk(process.execPath, ["memory.mjs"], { cwd: app })).stdout);
  state = join(work, "state.json");
  writeFileSync(state, JSON.stringify({ work, app, tarball: join(work, "twolayer.tgz"), files: packed[0].files.map((f) => f.path), node, nodeMemory }));
} catch (error) {
  console.error(error);
  console.log("runtimes: 0 passed, 1 failed (the setup failed: see above)");
  process.exit(1);
}

// 5. The suites, one file at a time (each may start a runtime of its own).
// `npm run test:runtimes -- bundlers realms` runs only the suites whose file names contain one of those words.
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".test.mjs") && (only.length === 0 || only.some((word) => f.includes(word))))
  .sort()
  .map((f) => join(here, f));
step(`running ${files.length} suites`);
process.env.TWOLAYER_RUNTIMES_STATE = state;
let passed = 0;
let failed = 0;
// Each suite file within 20 minutes: the longest, vitest under Node 24, takes 200 s here and bounds
// itself at 15 minutes (a shared machine may be slow); the others bound each of their steps.
const stream = runTests({ files, concurrency: 1, timeout: 1_200_000 });
stream.on("test:pass", (t) => { if (t.details?.type !== "suite") passed++; });
stream.on("test:fail", (t) => { if (t.details?.type !== "suite") failed++; });
await new Promise((resolve, reject) => {
  const out = stream.compose(spec);
  out.on("data", (chunk) => process.stdout.write(chunk));
  out.on("end", resolve);
  out.on("error", reject);
});

if (passed === 0) failed++; // a run that ran nothing has failed
if (failed === 0) rmSync(work, { recursive: true, force: true });
else console.log(`runtimes: the packed app and the built pages are kept in ${work}`);
step("done");
console.log(`runtimes: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
