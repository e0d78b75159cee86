// workerd: README's worker, bundled the way wrangler bundles (esbuild, conditions workerd/worker/
// browser, .wasm imports kept as modules), served by the workerd binary on 127.0.0.1. The seed run's
// losses must equal Node's bit for bit; bad JSON and bad options get a 400 with twolayer's message.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { prepared, readmeSnippet, sameBits, serveWorker, within } from "./lib.mjs";

const { app, work, node } = prepared();
const out = join(work, "workerd");
let server;
let base;

before(async () => {
  writeFileSync(join(app, "worker.js"), readmeSnippet("workerd"));
  ({ server, base } = await serveWorker("worker.js", app, out));
});

after(async () => {
  await server?.stop();
});

/** POSTs `body` to /train and returns the status and parsed JSON, within 120 s. */
async function post(body) {
  const response = await within(120_000, fetch(`${base}/train`, { method: "POST", body, signal: AbortSignal.timeout(120_000) }), "POST /train");
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`POST /train answered ${response.status} with non-JSON: ${text.slice(0, 500)}\n${server.output()}`);
  }
  return { status: response.status, json };
}

test("workerd: POST /train with the seed config gives Node's 500 losses bit for bit", async () => {
  const { status, json } = await post(JSON.stringify({ n: 64, dIn: 1000, hidden: 100, dOut: 10, iterations: 500, learningRate: 1e-6, seed: 0 }));
  assert.equal(status, 200, JSON.stringify(json));
  assert.equal(json.backend, "wasm-simd");
  sameBits(json.losses, node.simd, "workerd wasm-simd");
});

test("workerd: the scalar build too (simd: false)", async () => {
  const { status, json } = await post(JSON.stringify({ simd: false, iterations: 50 }));
  assert.equal(status, 200, JSON.stringify(json));
  assert.equal(json.backend, "wasm-scalar");
  sameBits(json.losses, node.scalar.slice(0, 50), "workerd wasm-scalar");
});

test("workerd: bad JSON gets a 400 with the parser's message", async () => {
  const { status, json } = await post("{ not json");
  assert.equal(status, 400);
  assert.equal(typeof json.error, "string");
  assert.ok(json.error.length > 0);
});

for (const [body, pattern] of [
  [{ dIn: 0 }, /dIn \(the input width D_in\) must be an integer from 1/],
  [{ n: "64" }, /n \(the batch size N\) must be an integer/],
  [{ hidden: 2.5 }, /hidden .* must be an integer/],
  [{ dIn: 1_000_000, hidden: 100_000 }, /this network needs \d+ bytes but one network may take at most|more than the .* one network can address/],
  [{ hiden: 100 }, /no option "hiden"; did you mean "hidden"\?/],
  [null, /takes an options object, got null/],
]) {
  test(`workerd: ${JSON.stringify(body)} gets a 400 naming the problem`, async () => {
    const { status, json } = await post(JSON.stringify(body));
    assert.equal(status, 400, JSON.stringify(json));
    assert.match(json.error, pattern);
  });
}

test("workerd: it still trains after the bad requests (no stuck state)", async () => {
  const { status, json } = await post(JSON.stringify({ iterations: 3 }));
  assert.equal(status, 200);
  sameBits(json.losses, node.simd.slice(0, 3), "workerd after errors");
});
