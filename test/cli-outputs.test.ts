// Output paths (every flag marked `output` in the flag table) are checked before training, and the
// files are written whole or not at all, leaving nothing behind when a run fails.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FLAGS } from "../src/cli/flags.js";
import { expectUsageError, run, start, tempDir, TINY, until } from "./cli-child.js";

// Were the check done after training, these runs would print loss lines for minutes: the check
// must refuse before the first iteration (stdout stays empty).
const LONG = [...TINY, "--iterations", "100000000", "--every", "1"];

// Root passes every permission check, so as root we run the child as nobody to see a refusal.
const AS_USER = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/**
 * Runs the CLI as AS_USER says. As nobody, from a world-readable copy of the built package (dist/,
 * build/, package.json and its dependencies) and of the node binary: the checkout itself may sit in
 * a directory only root can read (a fresh clone in `mktemp -d`, as CI makes), and so may the node
 * running the tests (the runtime suite's Node 24 lives inside it).
 */
function runAsUser(args: readonly string[]) {
  if (!("uid" in AS_USER)) return run(args, { timeout: 60_000 });
  const root = fileURLToPath(new URL("..", import.meta.url));
  const copy = tempDir();
  chmodSync(copy, 0o755);
  const node = join(copy, "node");
  cpSync(process.execPath, node);
  chmodSync(node, 0o755);
  for (const part of ["dist", "build", "package.json"]) cpSync(join(root, part), join(copy, part), { recursive: true });
  const { dependencies } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const name of Object.keys(dependencies)) cpSync(join(root, "node_modules", name), join(copy, "node_modules", name), { recursive: true, dereference: true });
  const child = spawnSync(node, [join(copy, "dist", "cli.js"), ...args], { encoding: "utf8", cwd: copy, timeout: 60_000, ...AS_USER });
  return { status: child.status, signal: child.signal, stdout: String(child.stdout), stderr: String(child.stderr) };
}

describe("output paths are checked before training", () => {
  it("the flag table marks --json, --plot, --save (train) and --out (predict) as outputs", () => {
    expect(FLAGS.filter((f) => f.output).map((f) => f.name)).toEqual(["json", "plot", "save", "out"]);
  });

  const dir = tempDir();
  writeFileSync(join(dir, "file.txt"), "x");
  symlinkSync(join(dir, "nowhere.json"), join(dir, "dangling.json"));
  symlinkSync(dir, join(dir, "alias"));
  const CASES: [string, string[], RegExp][] = [
    ["a missing directory", ["--json", join(dir, "missing", "out.json")], /--json "[^"]*missing\/out.json": the directory "[^"]*missing" does not exist/],
    ["a directory", ["--plot", dir], /--plot "[^"]*": is a directory, not a file/],
    ["a name ending in /", ["--json", join(dir, "new") + "/"], /--json "[^"]*new\/": names a directory, not a file/],
    ["a file used as a directory", ["--json", join(dir, "file.txt", "out.json")], /--json "[^"]*file.txt\/out.json": not a directory \(ENOTDIR\)/],
    ["a dangling symbolic link", ["--json", join(dir, "dangling.json")], /--json "[^"]*dangling.json": is a symbolic link to a missing file/],
    ["a directory no file can be created in (procfs)", ["--json", "/proc/self/out.json"], /--json "\/proc\/self\/out.json": cannot create files in "\/proc\/\d+"/],
    ["one file for two flags", ["--json", join(dir, "same"), "--plot", join(dir, "alias", "same")], /--json and --plot name the same file "[^"]*same": give each its own/],
  ];
  it.each(CASES)("%s: exit code 2 at once, naming the flag and the path", (_, args, message) => {
    expectUsageError(run(["train", ...LONG, ...args], { timeout: 60_000 }), message);
    expect(readdirSync(dir).sort()).toEqual(["alias", "dangling.json", "file.txt"]);
  });

  it("a directory without write permission, and a read-only file", () => {
    const shared = tempDir();
    chmodSync(shared, 0o755);
    const locked = join(shared, "locked");
    mkdirSync(locked, { mode: 0o555 });
    chmodSync(locked, 0o555);
    const readOnly = join(shared, "read-only.json");
    writeFileSync(readOnly, "{}\n", { mode: 0o444 });
    chmodSync(readOnly, 0o444);
    expectUsageError(
      runAsUser(["train", ...LONG, "--json", join(locked, "out.json")]),
      /--json "[^"]*locked\/out.json": cannot create files in "[^"]*locked": permission denied \(EACCES\)/,
    );
    expectUsageError(runAsUser(["train", ...LONG, "--plot", readOnly]), /--plot "[^"]*read-only.json": permission denied \(EACCES\)/);
    expect(readdirSync(locked)).toEqual([]);
    expect(readFileSync(readOnly, "utf8")).toBe("{}\n");
  });
});

describe("output files are whole or absent", () => {
  it("a run that fails after the check leaves no file behind", () => {
    const dir = tempDir();
    const huge = ["--n", "65536", "--d-in", "65536", "--hidden", "1", "--d-out", "1"];
    expectUsageError(run(["train", ...huge, "--json", join(dir, "out.json"), "--plot", join(dir, "out.svg")]), /needs \d+ bytes/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("an existing file is replaced whole, keeping its permissions; a symbolic link is written through", () => {
    const dir = tempDir();
    const json = join(dir, "out.json");
    writeFileSync(json, "old");
    chmodSync(json, 0o640);
    const target = join(dir, "target.svg");
    writeFileSync(target, "old");
    symlinkSync(target, join(dir, "link.svg"));
    const { status, stderr } = run(["train", ...TINY, "--iterations", "3", "--quiet", "--json", json, "--plot", join(dir, "link.svg")]);
    expect(status, stderr).toBe(0);
    expect(JSON.parse(readFileSync(json, "utf8")).losses).toHaveLength(3);
    expect(statSync(json).mode & 0o777).toBe(0o640);
    expect(readFileSync(target, "utf8")).toMatch(/^<svg[^]*<\/svg>\n$/);
    expect(readdirSync(dir).sort()).toEqual(["link.svg", "out.json", "target.svg"]);
  });

  it("a device is written in place", () => {
    const { status, stderr } = run(["train", ...TINY, "--iterations", "3", "--quiet", "--json", "/dev/null"]);
    expect(status, stderr).toBe(0);
    expect(stderr).toContain("json /dev/null");
  });

  it("a file that cannot be written at the end is one line and exit 1; the other file is still written", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "gone"));
    const json = join(dir, "gone", "out.json");
    const plot = join(dir, "out.svg");
    const { child, seen, exit } = start(["train", ...LONG.slice(0, -2), "--every", "100000", "--json", json, "--plot", plot]);
    await until(() => seen.stdout.length > 0);
    rmSync(join(dir, "gone"), { recursive: true });
    child.kill("SIGINT");
    const { code } = await exit;
    expect(code, seen.stderr).toBe(1);
    expect(seen.stderr).toMatch(/twolayer: cannot write --json "[^"]*gone\/out.json": no such file or directory \(ENOENT\)\n/);
    expect(seen.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(plot, "utf8")).toMatch(/<\/svg>\n$/);
    expect(readdirSync(dir)).toEqual(["out.svg"]);
  });
});
