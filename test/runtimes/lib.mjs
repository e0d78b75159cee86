// Helpers shared by the runtime tests: child processes with bounded waits that are always killed,
// free loopback ports, a static file server, Chromium, and the README's marked snippets and tables.
import { spawn } from "node:child_process";
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const here = fileURLToPath(new URL(".", import.meta.url));
export const repo = resolve(here, "../..");

/** What run.mjs prepared: the packed tarball, the app it is installed in, Node's losses. */
export function prepared() {
  const file = process.env.TWOLAYER_RUNTIMES_STATE;
  if (!file) throw new Error("run the runtime tests with `npm run test:runtimes` (TWOLAYER_RUNTIMES_STATE is not set)");
  return JSON.parse(readFileSync(file, "utf8"));
}

/** The binary an npm package of test/runtimes installed. */
export function bin(name) {
  return join(here, "node_modules", ".bin", name);
}

const children = new Set();
for (const signal of ["exit", "SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const child of children) killGroup(child);
    if (signal !== "exit") process.exit(1);
  });
}

/** Kills a child started with `detached: true` and every process it started (its process group). */
function killGroup(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL"); // the group is gone already, or there is none
  }
}

// After a command exits, how long its output pipes may stay open: a process it started and left
// running holds them, and waiting for them to close would wait for that process.
const PIPES_AFTER_EXIT = 5_000;

/**
 * Runs a command to completion within `timeout` ms and returns its exit code and output; rejects
 * only if it cannot start. It runs in a process group of its own: a timeout kills the group (the
 * processes it started too), and so does a command that exits leaving a process that holds its
 * output open (`leftover` says so; we do not wait for that process).
 */
export function run(command, args, { cwd, env, timeout = 120_000, input } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"], detached: true });
    children.add(child);
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let leftover = false;
    let exited;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeout);
    const finish = (code, signal) => {
      clearTimeout(timer);
      clearTimeout(exited);
      if (!children.delete(child)) return;
      resolvePromise({ code, signal, stdout, stderr, timedOut, leftover });
    };
    child.on("error", (error) => {
      clearTimeout(timer);
      children.delete(child);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      exited = setTimeout(() => {
        leftover = true;
        killGroup(child);
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code, signal);
      }, PIPES_AFTER_EXIT);
    });
    child.on("close", finish);
    child.stdin.on("error", () => {}); // EPIPE: the command exited without reading its input
    child.stdin.end(input ?? "");
  });
}

/** Like run, but throws with the output when the command fails or times out. */
export async function runOk(command, args, options) {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    const why = result.timedOut ? `timed out after ${options?.timeout ?? 120_000} ms` : `exited with ${result.code ?? result.signal}`;
    throw new Error(`${command} ${args.join(" ")} ${why}\n--- stdout\n${result.stdout.slice(-4000)}\n--- stderr\n${result.stderr.slice(-4000)}`);
  }
  return result;
}

/** Starts a long-running process; `stop()` kills it (and is safe to call twice). */
export function start(command, args, { cwd, env } = {}) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((r) => child.on("close", (code, signal) => { children.delete(child); r({ code, signal }); }));
  return {
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** A port nobody listens on right now, on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".wasm": "application/wasm",
};

/**
 * Builds the demo (web/: the page, the bench page) into `out` as `npm run web:build` does, but
 * against the packed tarball that `prepared()` installed instead of this repository. Returns `out`.
 */
export async function buildDemoSite(out) {
  const { app } = prepared();
  await runOk(process.execPath, [join(repo, "node_modules/vite/bin/vite.js"), "build", "--config", join(repo, "web/vite.config.ts"), "--outDir", out, "--emptyOutDir"], {
    cwd: repo,
    env: { TWOLAYER_PACKAGE: join(app, "node_modules", "twolayer") },
    timeout: 120_000,
  });
  return out;
}

/**
 * Serves `root` on 127.0.0.1 (a free port) with the right Content-Type (application/wasm for .wasm)
 * and, when `isolated`, the COOP/COEP headers that make the page cross-origin isolated.
 */
export function serveStatic(root, { isolated = true } = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root + sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      statSync(file);
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    const headers = { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" };
    if (isolated) {
      headers["Cross-Origin-Opener-Policy"] = "same-origin";
      headers["Cross-Origin-Embedder-Policy"] = "require-corp";
    }
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolvePromise({
        url: `http://127.0.0.1:${port}/`,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

/** The code block README.md marks with `<!-- snippet: name -->` on the line before it. */
export function readmeSnippet(name) {
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const marker = `<!-- snippet: ${name} -->`;
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no ${marker}`);
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(readme.slice(at + marker.length));
  if (!block) throw new Error(`README.md has no code block after ${marker}`);
  return block[1];
}

/** Expects the same bits (Object.is), naming the first difference. */
export function sameBits(got, want, label) {
  if (got.length !== want.length) throw new Error(`${label}: ${got.length} losses, Node has ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) throw new Error(`${label}: loss ${i} is ${got[i]}, Node's is ${want[i]} (bit for bit)`);
  }
}

/** Rejects after `ms` with a message naming what was awaited. */
export function within(ms, promise, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); }),
  ]);
}

/** Debian's Chromium, which playwright-core drives (no browser download). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Starts one headless Chromium with its profile in a new folder under `parent`; close() ends it. */
export async function launchChromium(parent, { viewport = { width: 1280, height: 900 } } = {}) {
  const { chromium } = await import("playwright-core");
  return chromium.launchPersistentContext(mkdtempSync(join(parent, "chromium-profile-")), {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport,
    timeout: 60_000,
  });
}

/** A new tab of `context`; its page errors, failed requests and HTTP errors collect in `problems`. */
export async function newPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()}`));
  page.on("response", (response) => { if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`); });
  page.setDefaultTimeout(30_000);
  return { page, problems };
}

/** The version of a package installed in test/runtimes (what the tables name). */
export function installedVersion(name) {
  return JSON.parse(readFileSync(join(here, "node_modules", name, "package.json"), "utf8")).version;
}

/** A markdown table: `header` and `rows` are arrays of cell texts. */
export function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n") + "\n";
}

const blockMarkers = (name) => [`<!-- ${name}: generated by npm run test:runtimes -->\n`, `<!-- /${name} -->`];

/** The text README.md holds between `<!-- name: generated … -->` and `<!-- /name -->`. */
export function readmeBlock(name) {
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const [open, close] = blockMarkers(name);
  const start = readme.indexOf(open);
  const end = readme.indexOf(close, start);
  if (start < 0 || end < 0) throw new Error(`README.md has no ${open.trim()} … ${close} block`);
  return readme.slice(start + open.length, end);
}

/** Replaces that block of README.md with `text` (TWOLAYER_UPDATE_README=1 runs do). */
export function writeReadmeBlock(name, text) {
  const file = join(repo, "README.md");
  const readme = readFileSync(file, "utf8");
  const [open, close] = blockMarkers(name);
  const start = readme.indexOf(open);
  const end = readme.indexOf(close, start);
  if (start < 0 || end < 0) throw new Error(`README.md has no ${open.trim()} … ${close} block`);
  writeFileSync(file, readme.slice(0, start + open.length) + text + readme.slice(end));
}

// workerd 1.20261117.1 supports compatibility dates up to 2026-11-24.
const WORKERD_COMPATIBILITY_DATE = "2026-11-17";

/**
 * `entry` (a file in `cwd`) bundled the way wrangler bundles (esbuild, conditions workerd/worker/
 * browser, .wasm imports kept as modules) into `out`, served by the workerd binary on 127.0.0.1:
 * its base URL once it answers, and the server (stop it after).
 */
export async function serveWorker(entry, cwd, out) {
  mkdirSync(out, { recursive: true });
  await runOk(bin("esbuild"), [
    entry, "--bundle", "--format=esm", "--platform=neutral", "--conditions=workerd,worker,browser",
    "--main-fields=module,main", "--loader:.wasm=copy", "--asset-names=[name]-[hash]", `--outdir=${out}`,
  ], { cwd, timeout: 60_000 });
  const wasm = readdirSync(out).filter((f) => f.endsWith(".wasm"));
  if (wasm.length === 0) throw new Error("the bundle imports no .wasm module: the workerd entry was not used");
  const port = await freePort();
  const script = entry.replace(/\.m?js$/, ".js");
  const modules = [`(name = "${script}", esModule = embed "${script}")`, ...wasm.map((f) => `(name = "${f}", wasm = embed "${f}")`)];
  writeFileSync(join(out, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [${modules.join(", ")}],
  compatibilityDate = "${WORKERD_COMPATIBILITY_DATE}",
);
`);
  const server = start(bin("workerd"), ["serve", join(out, "config.capnp")], { cwd: out });
  const base = `http://127.0.0.1:${port}`;
  // Ready when it answers (a 404 at once); give up after 30 s or if it exits.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`workerd exited:\n${server.output()}`);
    try {
      await fetch(`${base}/ready`, { signal: AbortSignal.timeout(2_000) });
      return { server, base };
    } catch {
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`workerd did not answer within 30 s:\n${server.output()}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
