// workerd: README's worker, bundled the way wrangler bundles (esbuild, conditions workerd/worker/
// browser, .wasm imports kept as modules), served by the workerd binary on 127.0.0.1. The seed run's
// losses must equal Node's bit for bit; bad JSON and bad options get a 400 with twolayer's message.
import assert from "node:assert/strict";
import { readdirSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { bin, freePort, prepared, readmeSnippet, runOk, sameBits, start, within } from "./lib.mjs";

const { app, work, node } = prepared();
const out = join(work, "workerd");
// workerd 1.20261117.1 supports compatibility dates up to 2026-11-24.
const COMPATIBILITY_DATE = "2026-11-17";
let server;
let base;

before(async () => {
  writeFileSync(join(app, "worker.js"), readmeSnippet("workerd"));
  mkdirSync(out, { recursive: true });
  await runOk(bin("esbuild"), [
    "worker.js", "--bundle", "--format=esm", "--platform=neutral", "--conditions=workerd,worker,browser",
    "--main-fields=module,main", "--loader:.wasm=copy", "--asset-names=[name]-[hash]", `--outdir=${out}`,
  ], { cwd: app, timeout: 60_000 });
  const wasm = readdirSync(out).filter((f) => f.endsWith(".wasm"));
  assert.ok(wasm.length >= 1, "the bundle imports no .wasm module: the workerd entry was not used");
  const port = await freePort();
  const modules = [`(name = "worker.js", esModule = embed "worker.js")`, ...wasm.map((f) => `(name = "${f}", wasm = embed "${f}")`)];
  writeFileSync(join(out, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [${modules.join(", ")}],
  compatibilityDate = "${COMPATIBILITY_DATE}",
);
`);
  server = start(bin("workerd"), ["serve", join(out, "config.capnp")], { cwd: out });
  base = `http://127.0.0.1:${port}`;
  // Ready when it answers (404 on GET /); give up after 30 s or if it exits.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`workerd exited:\n${server.output()}`);
    try {
      await fetch(base, { signal: AbortSignal.timeout(2_000) });
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
