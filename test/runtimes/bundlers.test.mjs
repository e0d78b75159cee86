// Bundlers, as a new user meets them: each builds a small app that imports "twolayer" from the packed
// tarball (app/bundlers/<tool>/, inside the app that installed it), with the tool's own defaults and
// only the recipe the table names; the page it builds, served with COOP/COEP, runs in one Chromium and
// must give Node's losses bit for bit (app/bundlers/page.js says what it trains). webpack must print no
// warning at all (it used to warn five times about twolayer's dynamic imports), and no tool any warning.
// The run writes README's "Bundlers" table to artifacts/bundlers.md; the last test fails when README's
// differs (TWOLAYER_UPDATE_README=1 npm run test:runtimes rewrites it, from a run that passed).
import assert from "node:assert/strict";
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { after, before, test } from "node:test";
import {
  bin, here, installedVersion, launchChromium, markdownTable, newPage, prepared, readmeBlock, readmeSnippet,
  runOk, sameBits, serveStatic, writeReadmeBlock,
} from "./lib.mjs";

const { app, work, node } = prepared();
const apps = join(app, "bundlers");
const TRAIN_TIMEOUT = 240_000;
const BUILD_TIMEOUT = 300_000;

const v = installedVersion;
/**
 * Each bundler: how it is run (in its app folder), where its page lands, and what the table says it
 * takes. `html`: the page is ours to copy into the output (the tool writes scripts only). `inline`: the
 * .wasm is inside the script, so no .wasm file is expected.
 */
const BUNDLERS = [
  {
    name: "Vite", version: v("vite"), dir: "vite", out: "dist",
    command: [bin("vite"), ["build"]], shown: "`vite build`",
    takes: "nothing",
  },
  {
    name: "webpack", version: `${v("webpack")} (webpack-cli ${v("webpack-cli")})`, dir: "webpack", out: "dist", html: true,
    command: [bin("webpack"), ["--mode", "production"]], shown: "`webpack --mode production`",
    takes: "nothing (no webpack.config.js); no warnings",
  },
  {
    name: "Rollup", version: v("rollup"), dir: "rollup", out: "dist", html: true,
    command: [bin("rollup"), ["-c"]], shown: "`rollup -c`",
    takes: `rollup.config.mjs with \`nodeResolve()\` (@rollup/plugin-node-resolve ${v("@rollup/plugin-node-resolve")}) and \`importMetaAssets()\` (@web/rollup-plugin-import-meta-assets ${v("@web/rollup-plugin-import-meta-assets")})`,
  },
  {
    // Parcel puts its output in the project root's dist/ (the root is the app, which has the lockfile).
    name: "Parcel", version: v("parcel"), dir: "parcel", out: "../../dist",
    command: [bin("parcel"), ["build", "index.html"]], shown: "`parcel build index.html`",
    takes: "nothing (it reads `main`, not `exports`)",
  },
  {
    name: "esbuild", version: v("esbuild"), dir: "esbuild", out: "dist", html: true, snippet: true,
    command: [bin("esbuild"), ["main.js", "--bundle", "--format=esm", "--loader:.wasm=file", "--outdir=dist"]],
    shown: "`esbuild main.js --bundle --format=esm --loader:.wasm=file --outdir=dist`",
    takes: "`--loader:.wasm=file`, and the app imports the builds and hands them to `init` (the snippet below)",
  },
  {
    name: "esbuild, one file", version: v("esbuild"), dir: "esbuild", out: "dist-inline", html: true, snippet: true, inline: true,
    command: [bin("esbuild"), ["main.js", "--bundle", "--format=esm", "--loader:.wasm=binary", "--outdir=dist-inline"]],
    shown: "`esbuild main.js --bundle --format=esm --loader:.wasm=binary --outdir=dist-inline`",
    takes: "`--loader:.wasm=binary` (the wasm inline in the script) and the same snippet",
  },
];

const BUILDS = ["fma", "scalar", "simd", "threads", "threads-fma"]; // BUILD_FILES in src/loader.ts
const rows = new Map(BUNDLERS.map((b) => [b.name, [b.name, b.version, b.shown, b.takes, "not run"]]));
let context;

before(async () => {
  context = await launchChromium(work);
});

after(async () => {
  await context?.close();
  const table = markdownTable(["Bundler", "Version", "Command", "What it takes", "Result"], [...rows.values()]);
  mkdirSync(join(here, "artifacts"), { recursive: true });
  writeFileSync(join(here, "artifacts", "bundlers.md"), table);
});

/** Every .wasm file under `dir`. */
function wasmFiles(dir) {
  return readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(".wasm"));
}

/** How many builds the scripts carry inline as data: URLs (Vite inlines assets under 4 KiB, as the scalar build is). */
function inlinedWasm(dir) {
  return readdirSync(dir, { recursive: true })
    .filter((f) => String(f).endsWith(".js"))
    .reduce((count, f) => count + (readFileSync(join(dir, String(f)), "utf8").match(/data:application\/wasm;base64,/g)?.length ?? 0), 0);
}

/** Opens the built page and returns what page.js reported, failing on any page problem. */
async function trainInPage(root, label) {
  const server = await serveStatic(root, { isolated: true });
  const { page, problems } = await newPage(context);
  try {
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.state, null, { timeout: TRAIN_TIMEOUT });
    const got = await page.evaluate(() => ({ state: document.body.dataset.state, error: document.body.dataset.error, crossOriginIsolated, result: window.result }));
    assert.equal(got.state, "done", `${label}: the page failed: ${got.error}\n${problems.join("\n")}`);
    assert.equal(got.crossOriginIsolated, true, `${label}: the page is not cross-origin isolated`);
    assert.deepEqual(problems, [], `${label}: the page had problems`);
    return got.result;
  } finally {
    await page.close();
    await server.close();
  }
}

/** The checks every page must pass, each failure naming the bundler and the run. */
function checkResult(got, label) {
  assert.deepEqual(got.backends, ["wasm-simd", "wasm-simd", "wasm-scalar", "wasm-simd"], `${label}: backends`);
  assert.deepEqual(got.fallbacks, [], `${label}: something asked for could not be had`);
  sameBits(got.small, node.small, `${label}, small network`);
  sameBits(got.simd, node.simd, `${label}, seed run (wasm-simd)`);
  sameBits(got.scalar, node.scalar.slice(0, 50), `${label}, seed run (wasm-scalar)`);
  assert.equal(got.threadsUsed, 2, `${label}: threads: 2 ran on ${got.threadsUsed}`);
  sameBits(got.threads2, node.threads2, `${label}, seed run on 2 threads`);
  // FMA may change the last bits (relaxed_madd is fused or not, as the engine likes): numpy's tolerance.
  assert.deepEqual(got.fmaUsed, [true, true], `${label}: the FMA builds were not used`);
  assert.equal(got.fmaThreadsUsed, 2, `${label}: fma on 2 threads ran on ${got.fmaThreadsUsed}`);
  for (const [name, losses] of [["fma", got.fma], ["fma, 2 threads", got.fmaThreads2]]) {
    assert.equal(losses.length, 5, `${label}, ${name}`);
    losses.forEach((loss, t) => assert.ok(Math.abs(loss / node.simd[t] - 1) < 1e-9, `${label}, ${name}: loss ${t} is ${loss}, Node's exact run ${node.simd[t]}`));
  }
}

for (const bundler of BUNDLERS) {
  const label = `${bundler.name} ${bundler.version}`;
  test(`${label}: ${bundler.shown} builds without warnings; the page trains in Chromium with Node's losses bit for bit`, async () => {
    const dir = join(apps, bundler.dir);
    if (bundler.snippet) writeFileSync(join(dir, "wasm.js"), readmeSnippet("esbuild"));
    const [command, args] = bundler.command;
    let output;
    try {
      const built = await runOk(command, args, { cwd: dir, env: { NO_COLOR: "1", FORCE_COLOR: "0" }, timeout: BUILD_TIMEOUT });
      output = built.stdout + built.stderr;
    } catch (error) {
      rows.get(bundler.name)[4] = "the build fails";
      throw new Error(`${label}: the build failed\n${error.message}`);
    }
    const warnings = output.split("\n").filter((line) => /warn|⚠|^\(!\)/i.test(line));
    if (warnings.length > 0) rows.get(bundler.name)[4] = "builds with warnings";
    assert.deepEqual(warnings, [], `${label} warned:\n${output.slice(-4000)}`);

    const out = join(dir, bundler.out);
    if (bundler.html) cpSync(join(dir, "index.html"), join(out, "index.html"));
    const wasm = wasmFiles(out);
    // Every build reaches the page: as a file of its own, or (a small one, by the bundler's own rule) inline.
    const inlined = bundler.inline ? 0 : inlinedWasm(out);
    assert.equal(wasm.length + inlined, bundler.inline ? 0 : BUILDS.length, `${label}: .wasm files in ${relative(work, out)}: ${wasm.join(", ") || "none"}; inline: ${inlined}`);
    if (bundler.inline) assert.ok(readFileSync(join(out, "main.js")).length > 80_000, `${label}: the script does not hold the wasm`);

    rows.get(bundler.name)[4] = "the page fails";
    checkResult(await trainInPage(out, label), label);
    rows.get(bundler.name)[4] = "trains; Node's losses bit for bit";
  });
}

test("README's Bundlers table is this run's", () => {
  const failed = [...rows.values()].filter((row) => !row[4].startsWith("trains"));
  assert.deepEqual(failed.map((row) => row[0]), [], "some bundlers failed, so README's table was not compared");
  const table = markdownTable(["Bundler", "Version", "Command", "What it takes", "Result"], [...rows.values()]);
  if (process.env.TWOLAYER_UPDATE_README === "1") writeReadmeBlock("bundlers-table", table);
  assert.equal(readmeBlock("bundlers-table"), table, "README's Bundlers table differs from this run's (artifacts/bundlers.md); TWOLAYER_UPDATE_README=1 npm run test:runtimes rewrites it");
});
