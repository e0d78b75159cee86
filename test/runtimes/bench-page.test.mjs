// Chromium: the demo's bench page (web/bench.html), built by Vite against the packed tarball and
// served cross-origin isolated, runs its tinybench comparison with seed runs of a few iterations
// (?iterations=5&quick&run): the table holds every configuration, each row checked against numpy
// and carrying its figures, with no page or console errors; the demo page links to it.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildDemoSite, launchChromium, newPage, prepared, serveStatic } from "./lib.mjs";

const { work } = prepared();
const RUN_TIMEOUT = 180_000;
let context;
let server;

before(async () => {
  server = await serveStatic(await buildDemoSite(join(work, "bench-site")), { isolated: true });
  context = await launchChromium(work);
});

after(async () => {
  await context?.close();
  await server?.close();
});

describe("the bench page", () => {
  test("times every configuration, each checked against numpy, with no errors", async () => {
    const { page, problems } = await newPage(context);
    page.on("console", (message) => { if (message.type() === "error") problems.push(`console error: ${message.text()} (${message.location().url})`); });
    try {
      await page.goto(`${server.url}bench.html?iterations=5&quick&run`);
      await page.waitForFunction(() => document.body.dataset.state === "done" || document.body.dataset.state === "error", null, { timeout: RUN_TIMEOUT });
      const got = await page.evaluate(() => ({
        state: document.body.dataset.state,
        error: document.querySelector("#error").textContent,
        headers: [...document.querySelectorAll("#results thead th")].map((th) => th.textContent),
        rows: [...document.querySelectorAll("#results tbody tr")].map((tr) => ({ checked: tr.dataset.checked, cells: [...tr.cells].map((td) => td.textContent) })),
        results: window.twolayerBench.rows,
        machine: document.querySelector("#machine").textContent,
      }));
      assert.equal(got.state, "done", got.error);
      assert.deepEqual(got.headers, ["run", "median s", "mean s", "p75 s", "p99 s", "±rme", "n", "× row-streaming JS", "× js backend"]);
      assert.deepEqual(got.rows.map((r) => r.cells[0]), ["wasm f64 SIMD, 1 thread", "gram wasm f64 SIMD, 1 thread", "js backend f64", "row-streaming JS f64", "wasm f32 SIMD, 1 thread", "gram wasm f32 SIMD, 1 thread", "js backend f32", "row-streaming JS f32"]);
      for (const row of got.rows) {
        assert.equal(row.checked, "numpy", `${row.cells[0]} not checked`);
        for (const seconds of row.cells.slice(1, 5)) assert.match(seconds, /^\d+\.\d+$/, `${row.cells[0]}: ${row.cells.join(" | ")}`);
        assert.match(row.cells[6], /^\d+$/);
        assert.match(row.cells[7], /^\d+\.\d×$/);
        assert.match(row.cells[8], /^\d+\.\d×$/);
      }
      assert.equal(got.results.length, got.rows.length);
      for (const r of got.results) assert.ok(r.samples >= 1 && r.p50 > 0 && r.iterations === 5, JSON.stringify(r));
      assert.match(got.machine, /^\d+ logical cores; Mozilla\/5\.0 .*Chrome\//);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test("the demo page links to it", async () => {
    const { page, problems } = await newPage(context);
    try {
      await page.goto(server.url);
      // Once the demo has opened its network: leaving earlier aborts its workers' loads, which the
      // problem list would (rightly, for a page at rest) report as failed requests.
      await page.waitForFunction(() => document.body.dataset.engine !== "opening", null, { timeout: 60_000 });
      await page.click("#bench-link");
      await page.waitForURL(/bench\.html$/);
      assert.equal(await page.textContent("h1"), "twolayer benchmark");
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});
