// Weights everywhere it runs: app/weights.mjs trains the tutorial's network (f64 and f32), saves it as
// .npz and .safetensors, loads both back, predicts, and reports; Deno, Bun, workerd and Chromium must
// report exactly what Node reports — the same files from saveWeights (SHA-256), the same losses and
// predictions bit for bit — and every runtime's own checks must hold (loading gives the saved bits,
// predict on the training x is yPred).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { bin, freePort, prepared, repo, runOk, serveStatic, start, within } from "./lib.mjs";

const { app, work } = prepared();
let node;

/** Checks what a runtime must get by itself, whatever Node got. */
function checkOwn(report, label) {
  for (const dtype of ["f64", "f32"]) {
    const r = report[dtype];
    assert.deepEqual(r.shapes, [[1000, 100], [100, 10]], `${label} ${dtype}: shapes`);
    assert.equal(r.loadedBitForBit, true, `${label} ${dtype}: create({ weights }) did not give the saved bits`);
    assert.equal(r.resavedBitForBit, true, `${label} ${dtype}: a loaded network saved other bytes`);
    assert.equal(r.predictIsYPred, true, `${label} ${dtype}: predict(x) is not yPred bit for bit`);
  }
  assert.equal(report.roundedAsF32, true, `${label}: f64 weights into an f32 network did not round as Float32Array.from`);
  assert.equal(report.damaged, "INVALID_FILE", `${label}: a truncated file gave ${report.damaged}`);
}

before(async () => {
  node = JSON.parse((await runOk(process.execPath, ["weights-run.mjs"], { cwd: app })).stdout);
});

test("node: trains, saves, loads and predicts; the loaded bits are the saved ones", () => {
  checkOwn(node, "node");
  assert.ok(node.f64.npzBytes > 800_000 && node.f32.npzBytes > 400_000, JSON.stringify(node.f64));
});

describe("deno and bun give Node's report exactly", () => {
  const runtimes = {
    deno: () => runOk(bin("deno"), ["run", "--allow-read", "--allow-env", "weights-run.mjs"], {
      cwd: app,
      env: { DENO_DIR: join(work, "deno-dir"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    }),
    bun: () => runOk(bin("bun"), ["run", "weights-run.mjs"], { cwd: app, env: { NO_COLOR: "1" } }),
  };
  for (const [name, run] of Object.entries(runtimes)) {
    test(`${name}: the same saveWeights bytes, losses and predictions as Node`, async () => {
      const got = JSON.parse((await run()).stdout);
      checkOwn(got, name);
      assert.deepEqual(got, node);
    });
  }
});

describe("workerd", () => {
  const out = join(work, "workerd-weights");
  let server;
  let base;

  before(async () => {
    mkdirSync(out, { recursive: true });
    // Bundled as wrangler bundles (and as workerd.test.mjs does): .wasm imports kept as modules.
    await runOk(bin("esbuild"), [
      "weights-worker.mjs", "--bundle", "--format=esm", "--platform=neutral", "--conditions=workerd,worker,browser",
      "--main-fields=module,main", "--loader:.wasm=copy", "--asset-names=[name]-[hash]", `--outdir=${out}`,
    ], { cwd: app, timeout: 60_000 });
    const wasm = readdirSync(out).filter((f) => f.endsWith(".wasm"));
    assert.ok(wasm.length >= 1, "the bundle imports no .wasm module: the workerd entry was not used");
    const port = await freePort();
    const modules = [`(name = "weights-worker.js", esModule = embed "weights-worker.js")`, ...wasm.map((f) => `(name = "${f}", wasm = embed "${f}")`)];
    writeFileSync(join(out, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [${modules.join(", ")}],
  compatibilityDate = "2026-11-17",
);
`);
    server = start(bin("workerd"), ["serve", join(out, "config.capnp")], { cwd: out });
    base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (server.child.exitCode !== null) throw new Error(`workerd exited:\n${server.output()}`);
      try {
        await fetch(`${base}/ready`, { signal: AbortSignal.timeout(2_000) }); // a 404, at once
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`workerd did not answer within 30 s:\n${server.output()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  });

  after(async () => {
    await server?.stop();
  });

  test("workerd: the same saveWeights bytes, losses and predictions as Node", async () => {
    const response = await within(180_000, fetch(`${base}/weights`, { signal: AbortSignal.timeout(180_000) }), "GET /weights");
    const got = await response.json();
    assert.equal(response.status, 200, got.error);
    checkOwn(got, "workerd");
    assert.deepEqual(got, node);
  });
});

test("chromium: the page, built by Vite from the installed tarball, gives Node's report exactly", async () => {
  const root = join(app, "weights-page");
  const site = join(work, "weights-page-dist");
  await runOk(process.execPath, [join(app, "build-web.mjs"), join(repo, "node_modules/vite"), root, site], { cwd: app, timeout: 120_000 });
  const server = await serveStatic(site, { isolated: false });
  const context = await chromium.launchPersistentContext(mkdtempSync(join(work, "chromium-weights-")), {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    timeout: 60_000,
  });
  try {
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("response", (response) => { if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`); });
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.report || document.body.dataset.error, null, { timeout: 180_000 });
    const { report, error } = await page.evaluate(() => ({ ...document.body.dataset }));
    assert.equal(error, undefined);
    const got = JSON.parse(report);
    checkOwn(got, "chromium");
    assert.deepEqual(got, node);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
  }
});
