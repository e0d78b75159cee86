// The packed tarball itself: what it holds and weighs (`npm pack --dry-run`, against a budget), its
// LICENSE, README images that show outside the repository, no source map pointing at a file it lacks,
// publint and arethetypeswrong, which file every export condition (and `main`, for tools that ignore
// `exports`) resolves to, for bundlers and for TypeScript, whose types must check, the
// .wasm files importable through `exports`, and no top-level await anywhere behind an entry.
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
  default: "entry-browser",
};

const BUILDS = ["fma", "scalar", "simd", "threads", "threads-fma"]; // BUILD_FILES in src/loader.ts

// What one install may weigh: the tarball (gzip) and the files it unpacks to. Measured 2026-12-02
// (npm pack --dry-run --json): 295 kB packed, 787 kB unpacked — dist/ with the files, CLI, bench and
// Gram form (on threads too: 29 kB more than the round before, 14 kB of it dist/threads/gram-parts
// with its types), five wasm builds (28 kB each, the scalar one 5 kB), README (71 kB) and its three
// images (the demo's two 256-colour screenshots, 82 kB, and the loss plot, 20 kB), which npm's page
// can only show from the package's own files. Measured again 2026-12-03: 305 kB packed, 826 kB
// unpacked (README 82 kB; the probe rounds' checks in dist: BUSY, the CLI's input/output clashes).
// Measured again 2026-12-04: 326 kB packed, 876 kB unpacked (856 kB the commit before): the Gram
// form's sparse h update and packed grad_h product grew the SIMD and threads builds by 4 kB each
// (33–34 kB), the FMA ones by 1 kB, README by 2 kB (86 kB).
// The budget leaves room for growth, not for a stray folder or a full-colour screenshot.
const BUDGET = { packed: 345_000, unpacked: 910_000 };

describe("the tarball", () => {
  test("holds dist/, the five wasm builds, README with its images, LICENSE and package.json, and no sources, tests or demo", () => {
    const wanted = ["package.json", "README.md", "LICENSE", "dist/cli.js", ...BUILDS.map((b) => `build/twolayer.${b}.wasm`)];
    for (const file of wanted) assert.ok(files.includes(file), `${file} is not in the tarball`);
    const stray = files.filter((f) => /^(src|test|web|assembly|scripts|bench)\//.test(f) || (f.startsWith("docs/") && !readmeImages().includes(f)));
    assert.deepEqual(stray, [], "the tarball ships files users do not need");
  });

  test(`npm pack --dry-run: what publishing would ship is this tarball, within ${BUDGET.packed / 1000} kB packed and ${BUDGET.unpacked / 1000} kB unpacked`, async () => {
    const { stdout } = await runOk("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: repo, timeout: 120_000 });
    const [dry] = JSON.parse(stdout);
    assert.deepEqual(dry.files.map((f) => f.path).sort(), [...files].sort(), "npm pack --dry-run lists other files than the packed tarball");
    const biggest = dry.files.sort((a, b) => b.size - a.size).slice(0, 5).map((f) => `${f.path} ${f.size} B`).join(", ");
    assert.ok(dry.size <= BUDGET.packed, `the tarball is ${dry.size} B, over the budget of ${BUDGET.packed} B (largest files: ${biggest})`);
    assert.ok(dry.unpackedSize <= BUDGET.unpacked, `it unpacks to ${dry.unpackedSize} B, over the budget of ${BUDGET.unpacked} B (largest files: ${biggest})`);
  });

  test("LICENSE is the MIT license package.json names", () => {
    assert.equal(pkg.license, "MIT");
    const license = readFileSync(join(pkgDir, "LICENSE"), "utf8");
    assert.match(license, /^MIT License\n\nCopyright \(c\) \d{4} /);
    assert.match(license, /THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND/);
  });

  test("README's images are absolute URLs of this version's own files on a CDN that serves npm packages", () => {
    // npm shows relative image links only for packages with a `repository` to resolve them against;
    // jsDelivr serves every file of every published version, so the images show wherever README does.
    const readme = readFileSync(join(pkgDir, "README.md"), "utf8");
    const links = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    assert.ok(links.length >= 1, "README shows no image");
    const prefix = `https://cdn.jsdelivr.net/npm/twolayer@${pkg.version}/`;
    for (const link of links) {
      assert.ok(link.startsWith(prefix), `${link} is not under ${prefix} (version ${pkg.version})`);
      assert.ok(files.includes(link.slice(prefix.length)), `${link}: ${link.slice(prefix.length)} is not in the tarball`);
    }
  });

  test("no source map points at a file the tarball lacks", () => {
    for (const file of files.filter((f) => f.endsWith(".js") || f.endsWith(".d.ts"))) {
      const comment = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(pkgDir, file), "utf8"));
      if (!comment) continue;
      const map = join(file, "..", comment[1]);
      assert.ok(files.includes(map), `${file} names ${comment[1]}, which is not packed`);
      for (const source of JSON.parse(readFileSync(join(pkgDir, map), "utf8")).sources) {
        assert.ok(files.includes(join(map, "..", source)), `${map} maps to ${source}, which is not packed`);
      }
    }
  });

  test("every file the exports map (and main, types) names is in it (types and code for each condition)", () => {
    const named = [pkg.main, pkg.types];
    for (const [condition, target] of Object.entries(pkg.exports["."])) {
      assert.equal(target.default, `./dist/${EXPECTED[condition]}.js`, `condition ${condition}`);
      assert.equal(target.types, `./dist/${EXPECTED[condition]}.d.ts`, `condition ${condition} types`);
      named.push(target.default, target.types);
    }
    assert.deepEqual(Object.keys(pkg.exports["."]), Object.keys(EXPECTED), "condition order (the first match wins)");
    // Parcel (without packageExports) and other tools that ignore `exports` take `main`: the entry that
    // names each build with a literal URL, and reads it with node:fs where that is a file: URL in Node.
    // (A top-level `browser` field would do for Parcel too, but publint --strict asks for `exports` instead.)
    assert.equal(pkg.main, "./dist/entry-browser.js");
    assert.equal(pkg.browser, undefined);
    for (const file of named) assert.ok(files.includes(file.slice(2)), `${file} is named by package.json but not packed`);
  });

  test("each .wasm build is importable as twolayer/build/<file> (esbuild's file loader, Vercel's ?module)", async () => {
    const script = `for (const b of ${JSON.stringify(BUILDS)}) console.log(import.meta.resolve(\`twolayer/build/twolayer.\${b}.wasm\`));`;
    const { stdout } = await runOk(process.execPath, ["--input-type=module", "-e", script], { cwd: app });
    const resolved = stdout.trim().split("\n");
    BUILDS.forEach((b, i) => assert.ok(resolved[i].endsWith(`/node_modules/twolayer/build/twolayer.${b}.wasm`), `${b}: ${resolved[i]}`));
  });

  test("the installed command (node_modules/.bin/twolayer) runs and names the installed version", async () => {
    const { stdout } = await runOk(join(app, "node_modules", ".bin", "twolayer"), ["--version"], { cwd: app });
    assert.equal(stdout, `twolayer ${pkg.version}\n`);
  });

  test("publint --strict finds nothing", async () => {
    const { stdout } = await runOk(bin("publint"), ["run", tarball, "--strict"], { cwd: work });
    assert.match(stdout, /All good!/);
  });

  test("arethetypeswrong (ESM-only profile) finds nothing", async () => {
    await runOk(bin("attw"), [tarball, "--profile", "esm-only", "--format", "ascii", "--no-color"], { cwd: work });
  });
});

/** The package files README shows as images (docs/…), from the CDN URLs it uses. */
function readmeImages() {
  const readme = readFileSync(join(pkgDir, "README.md"), "utf8");
  return [...readme.matchAll(/!\[[^\]]*\]\(https:\/\/cdn\.jsdelivr\.net\/npm\/twolayer@[^/]+\/([^)\s]+)\)/g)].map((m) => m[1]);
}

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
        // Node's built-ins stay external, also "module", which fflate's node build imports without "node:".
        "--main-fields=module,main", "--loader:.wasm=empty", "--external:node:*", "--external:module", "--log-level=warning",
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
