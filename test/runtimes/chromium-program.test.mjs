// Chromium: the demo page as the numpy program, line by line (web/main.ts, web/engine.ts), built by
// Vite against the packed tarball, each check against the same tarball's network in Node: a link's
// state is restored and trains to Node's losses bit for bit; a stepped line's heatmap holds net.h;
// jumping shows iteration t's loss beside numpy's; downloaded weights load back; bad links get
// twolayer's messages; every control is reachable by Tab and labelled; 375 px has no horizontal
// scroll. It writes README's screenshots to docs/ (desktop and phone widths).
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import { paletteCompress } from "./png.mjs";
import { buildDemoSite, launchChromium, newPage as openPage, prepared, repo, sameBits, serveStatic } from "./lib.mjs";

const { app, work } = prepared();
const { TwoLayerNet, train, pythonFloat, PROGRAM } = await import(pathToFileURL(join(app, "node_modules/twolayer/dist/entry-node.js")).href);
const numpy = JSON.parse(readFileSync(join(repo, "web/numpy-losses.json"), "utf8"));
const PLAY_TIMEOUT = 240_000;
let context;
let site;

before(async () => {
  site = await serveStatic(await buildDemoSite(join(work, "web-program-dist")), { isolated: true });
  context = await launchChromium(work);
});

after(async () => {
  await context?.close();
  await site?.close();
});

/** A tab on `query`, once the stepper's network is open; console errors join `problems`. */
async function openDemo(query = "", { viewport } = {}) {
  const { page, problems } = await openPage(context);
  page.on("console", (message) => { if (message.type() === "error") problems.push(`console error: ${message.text()}`); });
  if (viewport) await page.setViewportSize(viewport);
  await page.goto(site.url + query);
  await page.waitForFunction(() => document.body.dataset.engine !== "opening", null, { timeout: 60_000 });
  return { page, problems };
}

const stepperState = (page) => page.evaluate(() => {
  const { opened, state, losses } = window.twolayerDemo.stepper;
  return { opened, iteration: state?.iteration, line: state?.line, losses: [...losses], error: document.querySelector("#error").textContent, engine: document.body.dataset.engine };
});

/** Node's losses for `options` on the page's thread count (results repeat bit for bit for one thread count). */
async function nodeLosses(options, threadsUsed) {
  return Array.from((await train({ ...options, threads: threadsUsed })).losses);
}

async function waitReady(page) {
  await page.waitForFunction(() => document.body.dataset.engine === "ready" || document.body.dataset.engine === "error", null, { timeout: PLAY_TIMEOUT });
}

describe("the demo page steps the numpy program", () => {
  test("a link with other sizes, seed, learning rate and iteration restores them; playing on gives Node's losses bit for bit", async () => {
    const options = { n: 7, dIn: 13, hidden: 5, dOut: 3, seed: 42, learningRate: 0.001, iterations: 60 };
    const { page, problems } = await openDemo("?n=7&dIn=13&hidden=5&dOut=3&seed=42&learningRate=0.001&iterations=60&iteration=30&line=4");
    try {
      for (const [name, value] of Object.entries({ n: "7", dIn: "13", hidden: "5", dOut: "3", seed: "42", learningRate: "0.001", iterations: "60" })) {
        assert.equal(await page.inputValue(`[name="${name}"]`), value, name);
      }
      const restored = await stepperState(page);
      assert.equal(restored.error, "");
      assert.deepEqual([restored.iteration, restored.line], [30, 4]);
      const want = await nodeLosses(options, restored.opened.threadsUsed);
      assert.ok(Object.is(Number(await page.getAttribute("#now-loss", "data-value")), want[30]), "the loss shown at iteration 30, line 4");
      assert.match(await page.textContent("#numpy-note"), /not that one/);
      assert.match(page.url(), /iteration=30&line=4/);
      await page.click("#play");
      await page.waitForFunction(() => window.twolayerDemo.stepper.state?.iteration === 60 && !window.twolayerDemo.stepper.state.playing, null, { timeout: PLAY_TIMEOUT });
      const done = await stepperState(page);
      sameBits(done.losses, want, `the page's 60 losses on ${done.opened.threadsUsed} thread(s)`);
      assert.ok(Object.is(Number(await page.getAttribute("#now-loss", "data-value")), want[59]));
      assert.match(page.url(), /iteration=60/);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test("a link with algorithm=gram restores it, steps by iterations (Step line disabled) and gives Node's Gram-form losses bit for bit", async () => {
    const options = { n: 7, dIn: 13, hidden: 5, dOut: 3, seed: 42, learningRate: 0.001, iterations: 40, algorithm: "gram" };
    const { page, problems } = await openDemo("?n=7&dIn=13&hidden=5&dOut=3&seed=42&algorithm=gram&learningRate=0.001&iterations=40&iteration=10");
    try {
      assert.equal(await page.inputValue('[name="algorithm"]'), "gram");
      const restored = await stepperState(page);
      assert.equal(restored.error, "");
      assert.equal(restored.opened.algorithmUsed, "gram");
      assert.equal(restored.iteration, 10);
      assert.ok(await page.isDisabled("#step-line"), "Step line is disabled for the Gram form");
      const want = await nodeLosses(options, restored.opened.threadsUsed);
      const direct = await nodeLosses({ ...options, algorithm: "direct" }, restored.opened.threadsUsed);
      assert.ok(want.some((loss, t) => !Object.is(loss, direct[t])), "the Gram form's losses differ from direct's in some bit (else this test could not tell them apart)");
      await page.click("#step-iteration");
      await page.waitForFunction(() => window.twolayerDemo.stepper.state?.iteration === 11, null, { timeout: PLAY_TIMEOUT });
      await page.click("#play");
      await page.waitForFunction(() => window.twolayerDemo.stepper.state?.iteration === 40 && !window.twolayerDemo.stepper.state.playing, null, { timeout: PLAY_TIMEOUT });
      sameBits((await stepperState(page)).losses, want, "the page's 40 Gram-form losses");
      assert.match(page.url(), /algorithm=gram/);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test("Step line shows h's heatmap, whose hovered value is Node's net.h there after one forward pass; grad_h shows the mask", async () => {
    const { page, problems } = await openDemo();
    try {
      const { opened } = await stepperState(page);
      const net = await TwoLayerNet.create({ threads: opened.threadsUsed });
      net.forwardBackward();
      await page.click("#step-line");
      await page.waitForFunction(() => document.querySelector("#heatmap").dataset.name === "h");
      assert.match(await page.textContent("#matrix-caption"), /h 64 × 100 .*cell by cell/);
      assert.equal(await page.getAttribute("#program li.ran", "data-index"), "0");
      const box = await page.locator("#heatmap").boundingBox();
      const at = async (row, col) => {
        await page.mouse.move(box.x + ((col + 0.5) / 100) * box.width, box.y + ((row + 0.5) / 64) * box.height);
        return page.evaluate(() => ({ ...document.querySelector("#readout").dataset, text: document.querySelector("#readout").textContent }));
      };
      for (const [row, col] of [[0, 0], [5, 17], [63, 99], [40, 3]]) {
        const got = await at(row, col);
        const want = net.h[row * 100 + col];
        assert.deepEqual([Number(got.row), Number(got.col)], [row, col]);
        assert.ok(Object.is(Number(got.value), want), `h[${row}, ${col}]: page ${got.value}, Node ${want}`);
        assert.equal(got.text, `h[${row}, ${col}] = ${pythonFloat(want)}`);
      }
      for (let i = 1; i < 7; i++) await page.click("#step-line"); // through the mask line
      await page.waitForFunction(() => document.querySelector("#heatmap").dataset.name === "grad_h");
      const masked = net.h.findIndex((v) => v < 0);
      const got = await at(Math.floor(masked / 100), masked % 100);
      assert.equal(Number(got.value), 0);
      assert.match(got.text, /masked: h < 0 there/);
      assert.match(await page.textContent("#scale"), /h < 0 \(masked\)/);
      net.dispose();
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test("jumping to iteration t (a click on the curve, the slider's keys) shows t's loss beside numpy's", async () => {
    const { page, problems } = await openDemo();
    try {
      const { opened } = await stepperState(page);
      const want = await nodeLosses({}, opened.threadsUsed);
      await page.locator("#chart").scrollIntoViewIfNeeded();
      const box = await page.locator("#chart").boundingBox();
      await page.mouse.click(box.x + box.width * 0.45, box.y + box.height / 2);
      await page.waitForFunction(() => window.twolayerDemo.stepper.state?.iteration > 0);
      await waitReady(page);
      const t = Number(await page.textContent("#now-iteration"));
      assert.ok(t > 100 && t < 300, `the click landed on iteration ${t}`);
      assert.ok(Object.is(Number(await page.getAttribute("#now-loss", "data-value")), want[t]), `iteration ${t}`);
      assert.equal(Number(await page.getAttribute("#now-numpy", "data-value")), numpy.losses[t]);
      assert.ok(Math.abs(want[t] / numpy.losses[t] - 1) < 1e-9);
      assert.equal(await page.textContent("#now-diff"), Math.abs(want[t] / numpy.losses[t] - 1).toExponential(1));
      await page.focus("#scrub");
      await page.keyboard.press("End");
      await page.waitForFunction(() => window.twolayerDemo.stepper.state?.iteration === 499);
      assert.equal(await page.textContent("#now-iteration"), "499");
      assert.ok(Object.is(Number(await page.getAttribute("#now-loss", "data-value")), want[499]));
      await page.keyboard.press("Home");
      await page.waitForFunction(() => window.twolayerDemo.stepper.state?.iteration === 0);
      assert.ok(Object.is(Number(await page.getAttribute("#now-loss", "data-value")), want[0]));
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test("the downloaded weights load back with TwoLayerNet.create({ weights }); the losses download as CSV and JSON; an .npz loads into the page", async () => {
    const { page, problems } = await openDemo("?iteration=10&line=8");
    try {
      const { opened, losses } = await stepperState(page);
      const save = async (selector) => {
        const [file] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
        return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
      };
      const weights = await save("#download-weights");
      assert.equal(weights.name, "twolayer-weights-t10.npz");
      const loaded = await TwoLayerNet.create({ weights: new Uint8Array(weights.bytes), threads: opened.threadsUsed });
      const trained = await TwoLayerNet.create({ threads: opened.threadsUsed });
      await trained.train({ iterations: 10 });
      sameBits(loaded.w1, trained.w1, "w1 after 10 iterations");
      sameBits(loaded.w2, trained.w2, "w2 after 10 iterations");
      const csv = (await save("#download-csv")).bytes.toString("utf8").trim().split("\n");
      assert.equal(csv[0], "iteration,loss");
      sameBits(csv.slice(1).map((row) => Number(row.split(",")[1])), losses, "the CSV's losses");
      const json = JSON.parse((await save("#download-json")).bytes.toString("utf8"));
      sameBits(json.losses, losses, "the JSON's losses");
      assert.equal(losses.length, 11);
      // The page starts from an .npz: its first loss is that of Node's network on those weights.
      await page.setInputFiles("#load-weights", { name: "w.npz", mimeType: "application/octet-stream", buffer: weights.bytes });
      await page.waitForFunction(() => document.body.dataset.engine === "ready" && window.twolayerDemo.stepper.state?.iteration === 0);
      await page.click("#step-iteration");
      await page.waitForFunction(() => window.twolayerDemo.stepper.losses.length === 1);
      const first = (await stepperState(page)).losses[0];
      assert.ok(Object.is(first, loaded.step()), `the page's first loss from the file is ${first}`);
      assert.match(await page.textContent("#weights-note"), /From w\.npz/);
      loaded.dispose();
      trained.dispose();
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test("a bad link gets twolayer's own messages on the page, which still works", async () => {
    const { page, problems } = await openDemo("?n=abc&dtype=f16&foo=1&iteration=-3");
    try {
      const { error, engine } = await stepperState(page);
      assert.equal(engine, "error");
      assert.match(error, /unknown parameter "foo"/);
      assert.match(error, /iteration must be an integer from 0 to 499, got -3/);
      assert.match(error, /n \(the batch size N\) must be an integer from 1 to 2147483647, got "abc"/);
      assert.equal(await page.locator("#program li").count(), PROGRAM.length);
      await page.click("#reset");
      await waitReady(page);
      assert.equal(await page.textContent("#error"), "");
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test("keyboard alone: every control is reachable by Tab and labelled, and Step runs from the keyboard", async () => {
    const { page, problems } = await openDemo();
    try {
      const controls = await page.evaluate(() => [...document.querySelectorAll("button, input, select, [tabindex]")]
        .filter((e) => !e.disabled && e.getClientRects().length > 0)
        .map((e) => e.id || e.name));
      const reached = new Set();
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press("Tab");
        const focused = await page.evaluate(() => {
          const e = document.activeElement;
          const labelled = e.getAttribute("aria-label") || [...(e.labels ?? [])].map((l) => l.textContent).join(" ") || e.textContent;
          return { key: e.id || e.name, name: (labelled ?? "").trim() };
        });
        if (!focused.key) continue;
        assert.notEqual(focused.name, "", `${focused.key} has no accessible name`);
        reached.add(focused.key);
      }
      assert.deepEqual(controls.filter((c) => !reached.has(c)), [], "controls Tab never reached");
      await page.focus("#step-line");
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => window.twolayerDemo.stepper.state?.line === 1);
      await page.focus("#heatmap");
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("ArrowDown");
      assert.match(await page.textContent("#readout"), /^h\[1, 1\] = /);
      assert.match(await page.getAttribute("#heatmap", "aria-label"), /^heatmap of h, 64 by 100, min .* max .*first values h\[0, 0\] = /);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test("at 375 px there is no horizontal scroll; README's screenshots at desktop and phone widths", async () => {
    const shoot = async (viewport, file) => {
      const { page, problems } = await openDemo("?iteration=200&line=0", { viewport });
      try {
        for (let i = 0; i < 7; i++) await page.click("#step-line");
        await page.waitForFunction(() => window.twolayerDemo.stepper.state?.line === 7);
        const box = await page.locator("#heatmap").boundingBox();
        await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4);
        const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        assert.ok(widths[0] <= widths[1], `page ${widths[0]} px wide in a ${widths[1]} px window`);
        // Palette PNGs: the package ships docs/ under a size budget.
        writeFileSync(join(repo, "docs", file), paletteCompress(await page.screenshot()));
        assert.deepEqual(problems, []);
      } finally {
        await page.close();
      }
    };
    await shoot({ width: 375, height: 812 }, "demo-phone.png");
    await shoot({ width: 1280, height: 900 }, "demo-desktop.png");
  });
});
