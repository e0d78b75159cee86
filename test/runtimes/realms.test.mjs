// Modules from another realm. Vercel's edge runtime emulator (the `edge-runtime` package) runs a
// function in a node:vm context, and its `?module` imports hand it WebAssembly.Modules compiled by the
// host, outside that realm: `instanceof WebAssembly.Module` is false there, which
// @assemblyscript/loader checks. README's Vercel function, bundled as Vercel bundles it (esbuild,
// conditions edge-light, worker, browser; every .wasm import a compiled module) must train with Node's
// losses bit for bit on modules compiled outside its realm (with wasm compilation disallowed inside, as
// Vercel's edge forbids it) and inside it. In a bare node:vm context the package must take a module,
// an ArrayBuffer, a typed array or a Response made in the outer realm. realm.ts's brand checks are
// tested on such values too.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";
import v8 from "node:v8";
import { before, describe, test } from "node:test";
import * as esbuild from "esbuild";
import { EdgeRuntime } from "edge-runtime";
import { prepared, readmeSnippet, sameBits } from "./lib.mjs";
import { SMALL } from "./app/small.mjs";

const { app, node } = prepared();
const pkg = join(app, "node_modules", "twolayer");
const wasmBytes = (build) => readFileSync(join(pkg, "build", `twolayer.${build}.wasm`));
// The host compiles the FMA build too (the workerd entry imports it); Node 20 needs V8's flag for it.
if (Number(process.versions.node.split(".")[0]) < 21) v8.setFlagsFromString("--experimental-wasm-relaxed-simd");

/**
 * esbuild, as Vercel's bundler treats wasm: `import m from "….wasm?module"` (and the workerd entry's
 * plain `.wasm` imports) become the compiled module the host put in globalThis.__wasmModules under the
 * file's name. The import still resolves through the package's `exports`, so a missing entry fails.
 */
const wasmAsModules = {
  name: "wasm-as-modules",
  setup(build) {
    build.onResolve({ filter: /\.wasm(\?module)?$/ }, async (args) => {
      if (args.pluginData === "resolving") return undefined; // our own build.resolve below
      const resolved = await build.resolve(args.path.replace(/\?module$/, ""), { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: "resolving" });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, namespace: "wasm-module" };
    });
    build.onLoad({ filter: /.*/, namespace: "wasm-module" }, (args) => ({
      contents: `export default globalThis.__wasmModules[${JSON.stringify(basename(args.path))}];`,
      loader: "js",
    }));
  },
};

async function bundle(options) {
  const out = await esbuild.build({ bundle: true, format: "iife", write: false, logLevel: "silent", ...options });
  return out.outputFiles[0].text;
}

describe("Vercel's edge runtime (edge-runtime)", () => {
  let code;
  const builds = ["simd", "scalar", "fma"]; // what the function and the workerd entry import

  before(async () => {
    const fn = await bundle({
      stdin: { contents: readmeSnippet("vercel"), resolveDir: app, sourcefile: "api/train.js" },
      globalName: "edgeFunction", platform: "neutral", conditions: ["edge-light", "worker", "browser"], mainFields: ["module", "main"],
      plugins: [wasmAsModules],
    });
    code = `${fn}\naddEventListener("fetch", (event) => event.respondWith(edgeFunction.default(event.request)));`;
  });

  /** An edge runtime running the function, on modules compiled outside or inside its realm. */
  function edge(compiled) {
    const runtime = new EdgeRuntime({
      // Outside: wasm may not be compiled in the realm at all, as on Vercel's edge.
      codeGeneration: { strings: false, wasm: compiled === "inside" },
      extend(context) {
        const entries = builds.map((b) => [`twolayer.${b}.wasm`, compiled === "outside" ? new WebAssembly.Module(wasmBytes(b)) : new Uint8Array(wasmBytes(b))]);
        context[compiled === "outside" ? "__wasmModules" : "__wasmBytes"] = Object.fromEntries(entries);
        return context;
      },
    });
    if (compiled === "inside") runtime.evaluate("globalThis.__wasmModules = Object.fromEntries(Object.entries(__wasmBytes).map(([name, bytes]) => [name, new WebAssembly.Module(bytes)]))");
    const realm = [...runtime.evaluate("[globalThis.__wasmModules['twolayer.simd.wasm'] instanceof WebAssembly.Module, Object.prototype.toString.call(globalThis.__wasmModules['twolayer.simd.wasm'])]")];
    assert.deepEqual(realm, [compiled === "inside", "[object WebAssembly.Module]"], `modules compiled ${compiled} the realm`);
    runtime.evaluate(code);
    return async (body) => {
      const response = await runtime.dispatchFetch("http://127.0.0.1/api/train", { method: "POST", body: JSON.stringify(body) });
      return { status: response.status, json: await response.json() };
    };
  }

  for (const compiled of ["outside", "inside"]) {
    test(`edge-runtime, modules compiled ${compiled} its realm: README's function trains the seed network, SIMD and scalar, bit for bit`, async () => {
      const post = edge(compiled);
      const simd = await post({});
      assert.equal(simd.status, 200, JSON.stringify(simd.json));
      assert.equal(simd.json.backend, "wasm-simd");
      sameBits(simd.json.losses, node.simd, `edge-runtime (${compiled}) wasm-simd`);
      const scalar = await post({ simd: false, iterations: 50 });
      assert.equal(scalar.json.backend, "wasm-scalar", JSON.stringify(scalar.json));
      sameBits(scalar.json.losses, node.scalar.slice(0, 50), `edge-runtime (${compiled}) wasm-scalar`);
      const small = await post(SMALL);
      sameBits(small.json.losses, node.small, `edge-runtime (${compiled}) small network`);
      const bad = await post({ dIn: 0 });
      assert.equal(bad.status, 400);
      assert.match(bad.json.error, /dIn \(the input width D_in\) must be an integer from 1/);
    });
  }
});

describe("a node:vm context", () => {
  let code;
  const small = { ...SMALL };

  before(async () => {
    code = await bundle({ stdin: { contents: 'export * from "twolayer";', resolveDir: app }, globalName: "twolayer", platform: "browser" });
  });

  /** A fresh context with the package loaded; the outer realm lends it only what a host would. */
  function context() {
    const ctx = vm.createContext({ console, TextDecoder, performance });
    vm.runInContext(code, ctx);
    return ctx;
  }

  const bytes = wasmBytes("simd");
  const sources = {
    "a WebAssembly.Module compiled outside": () => new WebAssembly.Module(bytes),
    "a WebAssembly.Module compiled inside": (ctx) => vm.runInContext("(bytes) => new WebAssembly.Module(bytes)", ctx)(new Uint8Array(bytes)),
    "an ArrayBuffer from outside": () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    "a Uint8Array from outside": () => new Uint8Array(bytes),
    "a Response from outside (application/wasm)": () => new Response(bytes, { headers: { "Content-Type": "application/wasm" } }),
    "a Response from outside (no wasm Content-Type)": () => new Response(bytes),
  };

  for (const [what, make] of Object.entries(sources)) {
    test(`node:vm: init({ wasm: { simd: ${what} } }) trains the small network with Node's losses bit for bit`, async () => {
      const ctx = context();
      const ready = await ctx.twolayer.init({ wasm: { simd: make(ctx) } });
      assert.equal(ready.build, "simd");
      const result = await ctx.twolayer.train(small);
      assert.equal(result.backend, "wasm-simd");
      sameBits(Array.from(result.losses), node.small, `node:vm, ${what}`);
    });
  }

  test("node:vm: an object from outside that is no wasm is refused by init's checks, naming the option and what it accepts", async () => {
    const ctx = context();
    const fake = { [Symbol.toStringTag]: "WebAssembly.Module" };
    await assert.rejects(ctx.twolayer.init({ wasm: { simd: fake } }), (error) => {
      assert.equal(error.name, "TwoLayerError");
      assert.equal(error.code, "INVALID_OPTION");
      assert.match(error.message, /wasm\.simd must be a URL, bytes, a Response or a compiled WebAssembly\.Module, got an object/);
      return true;
    });
  });
});

describe("realm.ts's brand checks", () => {
  let realm;
  let other;

  before(async () => {
    realm = await import(pathToFileURL(join(pkg, "dist", "realm.js")).href);
    other = vm.createContext({});
  });

  test("they see another realm's module, ArrayBuffer, typed array and DataView, as instanceof does not", () => {
    const [module, buffer, view, data] = vm.runInContext("(bytes) => [new WebAssembly.Module(bytes), new ArrayBuffer(8), new Float64Array(2), new DataView(new ArrayBuffer(4))]", other)(new Uint8Array(wasmBytes("scalar")));
    assert.equal(module instanceof WebAssembly.Module, false, "a foreign module fails instanceof (else this test tests nothing)");
    assert.equal(realm.isWasmModule(module), true);
    assert.equal(realm.isArrayBuffer(buffer), true);
    assert.equal(realm.isBufferView(view), true);
    assert.equal(realm.isBufferView(data), true);
    assert.equal(realm.isBufferSource(buffer) && realm.isBufferSource(view), true);
  });

  test("they are not fooled by look-alikes: a spoofed tag, a SharedArrayBuffer, plain objects", () => {
    const spoof = (tag) => ({ [Symbol.toStringTag]: tag });
    assert.equal(realm.isWasmModule(spoof("WebAssembly.Module")), false);
    assert.equal(realm.isArrayBuffer(spoof("ArrayBuffer")), false);
    assert.equal(realm.isArrayBuffer(new SharedArrayBuffer(8)), false);
    assert.equal(realm.isBufferView([1, 2]), false);
    for (const value of [null, undefined, 0, "x", {}, []]) {
      assert.equal(realm.isWasmModule(value) || realm.isArrayBuffer(value) || realm.isResponse(value) || realm.isUrl(value), false, String(value));
    }
  });

  test("Response and URL: any realm's, by their tag and the members the loader reads", () => {
    assert.equal(realm.isResponse(new Response("x")), true);
    assert.equal(realm.isResponse({ [Symbol.toStringTag]: "Response" }), false, "a tag without arrayBuffer() and headers");
    assert.equal(realm.isOwnResponse(new Response("x")), true);
    assert.equal(realm.isUrl(new URL("https://example.test/x.wasm")), true);
    assert.equal(realm.isUrl("https://example.test/x.wasm"), false);
    // edge-runtime's Response and URL are its own classes (from @edge-runtime/primitives).
    const runtime = new EdgeRuntime();
    const [response, url] = runtime.evaluate("[new Response('x'), new URL('https://example.test/')]");
    assert.equal(response instanceof Response, false, "edge-runtime's Response is a class of its own (else this tests nothing)");
    assert.equal(realm.isResponse(response), true);
    assert.equal(realm.isOwnResponse(response), false);
    assert.equal(realm.isUrl(url), true);
  });
});
