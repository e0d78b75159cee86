// The packed tarball itself: what it holds, publint and arethetypeswrong, which file every export
// condition resolves to (for bundlers and for TypeScript, whose types must check), and no top-level
// await anywhere in what an entry imports.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { bin, prepared, repo, runOk } from "./lib.mjs";

const { app, work, tarball, files } = prepared();
const pkgDir = join(app, "node_modules", "twolayer");
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));

// Which entry each runtime's conditions must reach.
const EXPECTED = {
  workerd: "entry-workerd",
  worker: "entry-workerd",
  deno: "entry-browser",
  bun: "entry-node",
  node: "entry-node",
  browser: "entry-browser",
  default: "index",
};

describe("the tarball", () => {
  test("holds dist/, both wasm builds, README and package.json, and no sources, tests or demo", () => {
    for (const file of ["package.json", "README.md", "build/twolayer.simd.wasm", "build/twolayer.scalar.wasm", "dist/cli.js"]) {
      assert.ok(files.includes(file), `${file} is not in the tarball`);
    }
    const stray = files.filter((f) => /^(src|test|web|assembly|scripts|docs)\//.test(f));
    assert.deepEqual(stray, [], "the tarball ships files users do not need");
  });

  test("every file the exports map names is in it (types and code for each condition)", () => {
    const named = [];
    for (const [condition, target] of Object.entries(pkg.exports["."])) {
      assert.equal(target.default, `./dist/${EXPECTED[condition]}.js`, `condition ${condition}`);
      assert.equal(target.types, `./dist/${EXPECTED[condition]}.d.ts`, `condition ${condition} types`);
      named.push(target.default, target.types);
    }
    assert.deepEqual(Object.keys(pkg.exports["."]), Object.keys(EXPECTED), "condition order (the first match wins)");
    for (const file of named) assert.ok(files.includes(file.slice(2)), `${file} is named by exports but not packed`);
  });

  test("publint --strict finds nothing", async () => {
    const { stdout } = await runOk(bin("publint"), ["run", tarball, "--strict"], { cwd: work });
    assert.match(stdout, /All good!/);
  });

  test("arethetypeswrong (ESM-only profile) finds nothing", async () => {
    await runOk(bin("attw"), [tarball, "--profile", "esm-only", "--format", "ascii", "--no-color"], { cwd: work });
  });
});

describe("each condition", () => {
  for (const [condition, entry] of Object.entries(EXPECTED)) {
    test(`${condition}: a bundler resolves "twolayer" to dist/${entry}.js, with no top-level await behind it`, async () => {
      const dir = join(work, "resolve", condition);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(app, "resolve-me.js"), 'import { train } from "twolayer";\nglobalThis.train = train;\n');
      const conditions = condition === "default" ? [] : [condition];
      // An IIFE bundle refuses top-level await, so this also proves the package has none.
      await runOk(bin("esbuild"), [
        "resolve-me.js", "--bundle", "--format=iife", "--platform=neutral", `--conditions=${conditions.join(",")}`,
        "--main-fields=module,main", "--loader:.wasm=empty", "--external:node:*", "--log-level=warning",
        `--metafile=${join(dir, "meta.json")}`, `--outfile=${join(dir, "out.js")}`,
      ], { cwd: app, timeout: 60_000 });
      const inputs = Object.keys(JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")).inputs);
      const entries = inputs.filter((f) => /node_modules\/twolayer\/dist\/(entry-[a-z]+|index)\.js$/.test(f)).map((f) => f.split("/").pop());
      assert.ok(entries.includes(`${entry}.js`), `bundled ${entries.join(", ") || "no entry of twolayer"}`);
      const others = entries.filter((f) => f.startsWith("entry-") && f !== `${entry}.js`);
      assert.deepEqual(others, [], "another runtime's entry was bundled too");
    });

    test(`${condition}: TypeScript finds dist/${entry}.d.ts and the API type-checks`, async () => {
      const dir = join(app, "types", condition);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "check.ts"), `import { train, init, TwoLayerNet, TwoLayerError, type TrainResult } from "twolayer";
export async function check(): Promise<number> {
  await init({ simd: "auto" });
  const result: TrainResult = await train({ iterations: 2, dtype: "f64", backend: "wasm" });
  const net = await TwoLayerNet.create({ n: 2, dIn: 3, hidden: 4, dOut: 1 });
  const loss: number = net.step(1e-3);
  net.dispose();
  const error: unknown = new TwoLayerError("INVALID_OPTION", "x");
  return result.losses[0] + loss + (error instanceof TwoLayerError ? 0 : 1);
}
`);
      const node = condition === "node";
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
        compilerOptions: {
          target: "ES2022", lib: ["ES2022", "DOM"], strict: true, noEmit: true, skipLibCheck: false, types: [],
          module: node ? "NodeNext" : "ESNext", moduleResolution: node ? "NodeNext" : "Bundler",
          ...(node || condition === "default" ? {} : { customConditions: [condition] }),
        },
        files: ["check.ts"],
      }));
      const tsc = join(repo, "node_modules", "typescript", "bin", "tsc");
      const { stdout } = await runOk(process.execPath, [tsc, "-p", dir, "--listFiles"], { cwd: dir, timeout: 120_000 });
      const used = stdout.split("\n").filter((f) => /node_modules\/twolayer\/dist\/(entry-[a-z]+|index)\.d\.ts$/.test(f)).map((f) => f.split("/").pop());
      assert.ok(used.includes(`${entry}.d.ts`), `TypeScript read ${used.join(", ")}`);
      assert.deepEqual(used.filter((f) => f.startsWith("entry-") && f !== `${entry}.d.ts`), []);
    });
  }
});
