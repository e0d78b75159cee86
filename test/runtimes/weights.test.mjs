// Weights everywhere it runs: app/weights.mjs trains the tutorial's network (f64 and f32), saves it as
// .npz and .safetensors, loads both back, predicts, and reports; Deno, Bun, workerd and Chromium must
// report exactly what Node reports — the same files from saveWeights (SHA-256), the same losses and
// predictions bit for bit — and every runtime's own checks must hold (loading gives the saved bits,
// predict on the training x is yPred).
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { bin, prepared, repo, runOk, serveStatic, serveWorker, within } from "./lib.mjs";

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
    // Bundled as wrangler bundles, as workerd.test.mjs's worker is (lib.mjs's serveWorker).
    ({ server, base } = await serveWorker("weights-worker.mjs", app, out));
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
