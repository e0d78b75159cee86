// Chromium (Debian's, driven by playwright-core): the demo page, built by Vite against the packed
// tarball and served on 127.0.0.1 with COOP/COEP, trains the seed network; its final loss (and all
// 500) must equal Node's bit for bit. Served without those headers it must still train, on one
// thread, and say why. README's browser snippet runs too. A screenshot is kept in artifacts/.
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildDemoSite, here, launchChromium, newPage as openPage, prepared, readmeSnippet, repo, runOk, sameBits, serveStatic } from "./lib.mjs";

const { app, work, node } = prepared();
const artifacts = join(here, "artifacts");
const TRAIN_TIMEOUT = 240_000;
let context;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  context = await launchChromium(work);
});

after(async () => {
  await context?.close();
});

/** A new tab whose page errors and failed requests fail the test that reads `problems`. */
const newPage = () => openPage(context);

describe("the demo page", () => {
  const site = join(work, "web-dist");
  let isolated;
  let plain;

  before(async () => {
    await buildDemoSite(site);
    isolated = await serveStatic(site, { isolated: true });
    plain = await serveStatic(site, { isolated: false });
  });

  after(async () => {
    await isolated?.close();
    await plain?.close();
  });

  test("the Vite build holds every wasm build as a file of its own", () => {
    const wasm = readdirSync(join(site, "assets")).filter((f) => f.endsWith(".wasm"));
    const builds = ["fma", "scalar", "simd", "threads", "threads-fma"]; // BUILD_FILES in src/builds/builds.ts
    // Vite names each twolayer.<build>-<8-character hash>.wasm; the hash decides how names sort.
    const named = wasm.map((f) => /^twolayer\.(.+)-[\w-]{8}\.wasm$/.exec(f)?.[1] ?? f).sort();
    assert.deepEqual(named, builds, `assets: ${wasm.join(", ")}`);
  });

  test("cross-origin isolated: Train gives Node's seed run bit for bit, beside the pure-JS race", async () => {
    const { page, problems } = await newPage();
    try {
      await page.goto(isolated.url);
      assert.equal(await page.evaluate(() => crossOriginIsolated), true);
      await page.click("#train");
      // The page keeps answering while the workers train: it can evaluate script mid-run.
      await page.waitForFunction(() => window.twolayerDemo.lanes.main.series.losses.length > 0, null, { timeout: TRAIN_TIMEOUT });
      assert.equal(await page.evaluate(() => document.body.dataset.state), "training");
      await page.waitForFunction(() => document.body.dataset.state !== "training", null, { timeout: TRAIN_TIMEOUT });
      const got = await page.evaluate(() => ({
        state: document.body.dataset.state,
        error: document.querySelector("#error").textContent,
        finalLoss: document.querySelector("#final-loss").dataset.value,
        iteration: document.querySelector("#lane-main .iteration").textContent,
        main: window.twolayerDemo.lanes.main.result,
        js: window.twolayerDemo.lanes.js.result,
        threadsNote: document.querySelector("#threads-note").textContent,
        speedup: document.querySelector("#speedup").textContent,
      }));
      await page.screenshot({ path: join(artifacts, "chromium-demo.png") });
      assert.equal(got.state, "done", got.error);
      assert.equal(got.iteration, "500 / 500");
      assert.equal(got.main.backend, "wasm-simd");
      // The page asks for threads: "auto"; results repeat bit for bit for a given thread count, so
      // compare with Node's run on as many threads (Node's reference has 1 and 2).
      const threads = got.main.threadsUsed ?? 1;
      const want = threads === 1 ? node.simd : threads === 2 ? node.threads2 : undefined;
      if (want) {
        assert.ok(Object.is(Number(got.finalLoss), want[499]), `page shows ${got.finalLoss}, Node's last loss on ${threads} thread(s) is ${want[499]}`);
        sameBits(got.main.losses, want, `chromium wasm-simd, ${threads} thread(s)`);
      } else {
        got.main.losses.forEach((loss, t) => assert.ok(Math.abs(loss / node.simd[t] - 1) < 1e-9, `loss ${t} on ${threads} threads: ${loss}`));
      }
      assert.equal(got.js.backend, "js");
      got.js.losses.forEach((loss, t) => assert.ok(Math.abs(loss / node.simd[t] - 1) < 1e-9, `js loss ${t}: ${loss}`));
      assert.ok(got.main.gflops > 0 && got.js.gflops > 0);
      assert.match(got.speedup, /× the throughput of plain JavaScript/);
      assert.doesNotMatch(got.threadsNote, /not cross-origin isolated/);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test("without COOP/COEP: it says why it runs one thread, and still trains", async () => {
    const { page, problems } = await newPage();
    try {
      await page.goto(plain.url);
      assert.equal(await page.evaluate(() => crossOriginIsolated), false);
      assert.match(await page.textContent("#threads-note"), /^1 thread: this page is not cross-origin isolated/);
      await page.fill('input[name="iterations"]', "20");
      await page.uncheck('input[name="race"]');
      await page.click("#train");
      await page.waitForFunction(() => document.body.dataset.state !== "training", null, { timeout: TRAIN_TIMEOUT });
      const got = await page.evaluate(() => ({ state: document.body.dataset.state, loss: document.querySelector("#final-loss").dataset.value, jsHidden: document.querySelector("#lane-js").hidden }));
      assert.equal(got.state, "done");
      assert.equal(got.jsHidden, true);
      assert.ok(Object.is(Number(got.loss), node.simd[19]), `page shows ${got.loss}, Node's loss 19 is ${node.simd[19]}`);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test("bad sizes show twolayer's error message, and the page recovers", async () => {
    const { page } = await newPage();
    try {
      await page.goto(isolated.url);
      await page.fill('input[name="dIn"]', "1000000");
      await page.fill('input[name="hidden"]', "100000");
      await page.click("#train");
      await page.waitForFunction(() => document.body.dataset.state !== "training", null, { timeout: TRAIN_TIMEOUT });
      assert.equal(await page.evaluate(() => document.body.dataset.state), "error");
      assert.match(await page.textContent("#error"), /this network needs \d+ bytes but one network may take at most|w1 would have 1000000×100000 = .* elements/);
      assert.equal(await page.isEnabled("#train"), true);
    } finally {
      await page.close();
    }
  });
});

test("README's browser snippet, built by Vite inside the app, trains in a worker", async () => {
  const root = join(app, "browser-snippet");
  writeFileSync(join(root, "worker.js"), readmeSnippet("browser"));
  const out = join(work, "snippet-dist");
  await runOk(process.execPath, [join(app, "build-web.mjs"), join(repo, "node_modules/vite"), root, out], { cwd: app, timeout: 120_000 });
  const server = await serveStatic(out, { isolated: false });
  const { page, problems } = await newPage();
  try {
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.loss || document.body.dataset.error, null, { timeout: TRAIN_TIMEOUT });
    const got = await page.evaluate(() => ({ ...document.body.dataset }));
    assert.equal(got.error, undefined);
    assert.equal(got.iterations, "500");
    assert.ok(Object.is(Number(got.loss), node.simd[499]), `snippet posted ${got.loss}, Node's last loss is ${node.simd[499]}`);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await server.close();
  }
});
