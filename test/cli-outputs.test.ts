// Output paths (every flag marked `output` in the flag table) are checked before training, and the
// files are written whole or not at all, leaving nothing behind when a run fails.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { flag, FLAGS, type Command } from "../src/cli/flags.js";
import { readArrays, writeNpy, writeNpz, writeSafetensors, type NdArrays } from "../src/index.js";
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

describe("no output is an input's file, under any name", () => {
  const dir = tempDir();
  const matrix = (rows: number, cols: number, seed: number) => ({ data: Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(seed + i)), shape: [rows, cols] });
  const x = matrix(6, 5, 1);
  const y = matrix(6, 2, 2);
  const FILES: Record<string, string> = { x: "x.npy", y: "y.npy", data: "d.npz", weights: "w.npz" };
  writeFileSync(join(dir, "x.npy"), writeNpy(x));
  writeFileSync(join(dir, "y.npy"), writeNpy(y));
  writeFileSync(join(dir, "d.npz"), writeNpz({ x, y }));
  writeFileSync(join(dir, "w.npz"), writeNpz({ w1: matrix(5, 3, 3), w2: matrix(3, 2, 4) }));
  const at = (name: string) => join(dir, name);
  /** Every name in dir and its file's bytes: what a refused run must leave as it was. */
  const snapshot = () => Object.fromEntries(readdirSync(dir).sort().map((name) => [name, statSync(at(name)).isFile() ? readFileSync(at(name)).toString("hex") : "a directory"]));

  /** Inputs the command takes together, among them `input`; without --quiet, so that training would print. */
  const inputsFor = (command: Command, input: string): string[] => {
    if (command === "predict") return ["--weights", at("w.npz"), "--x", at("x.npy")];
    if (input === "data") return ["--data", at("d.npz")];
    return ["--x", at("x.npy"), "--y", at("y.npy"), ...(input === "weights" ? ["--weights", at("w.npz")] : [])];
  };
  const refusal = (output: string, input: string) =>
    new RegExp(`^twolayer: --${output} "[^"]*" names the same file as --${input} "[^"]*": writing it would overwrite that input; give --${output} another file\n$`);

  // From the flag table, so that a new output or input flag is covered the day it is added.
  const PAIRS = (["train", "predict", "bench"] as const).flatMap((command) =>
    FLAGS.filter((o) => o.output && o.commands.includes(command)).flatMap((o) =>
      FLAGS.filter((i) => i.input && i.commands.includes(command) && o.mayReplace !== i.name).map((i) => [command, o.name, i.name] as const),
    ),
  );

  it("the pairs: every output of a command against every input it reads, but --save over --weights", () => {
    expect(PAIRS.map((pair) => pair.join(" "))).toEqual([
      ...["json", "plot", "save"].flatMap((o) => ["data", "x", "y", "weights"].filter((i) => !(o === "save" && i === "weights")).map((i) => `train ${o} ${i}`)),
      "predict out x",
      "predict out weights",
    ]);
  });

  it.each(PAIRS)("%s --%s naming --%s's file through a symbolic link: exit 2 before reading, every file as it was", (command, output, input) => {
    // The link takes the output's extension, which an output such as --save requires of the name.
    const link = at(`link-${output}-${input}${flag(output)!.extensions?.[0] ?? ".out"}`);
    symlinkSync(at(FILES[input]), link);
    const before = snapshot();
    expectUsageError(run([command, ...inputsFor(command, input), `--${output}`, link], { timeout: 60_000 }), refusal(output, input));
    expect(snapshot()).toEqual(before);
  });

  it("the same file as typed, as ./name, through a linked directory, or as a hard link", () => {
    symlinkSync(dir, at("here"));
    linkSync(at("x.npy"), at("hard-x.npy"));
    linkSync(at("y.npy"), at("hard-y.json"));
    const before = snapshot();
    const spellings: [string[], string, string, string][] = [
      [["predict", "--weights", "w.npz", "--x", "x.npy"], "out", "x.npy", "x"],
      [["predict", "--weights", "w.npz", "--x", "x.npy"], "out", "./x.npy", "x"],
      [["predict", "--weights", "w.npz", "--x", "x.npy"], "out", at("here/x.npy"), "x"],
      [["predict", "--weights", "w.npz", "--x", "x.npy"], "out", "hard-x.npy", "x"],
      [["predict", "--weights", "./w.npz", "--x", "x.npy"], "out", "w.npz", "weights"],
      [["train", "--x", "x.npy", "--y", "y.npy"], "json", "y.npy", "y"],
      [["train", "--x", "x.npy", "--y", "y.npy"], "json", "hard-y.json", "y"],
      [["train", "--x", "x.npy", "--y", "y.npy"], "plot", "here/x.npy", "x"],
    ];
    for (const [args, output, path, input] of spellings) {
      expectUsageError(run([...args, `--${output}`, path], { cwd: dir, timeout: 60_000 }), refusal(output, input));
    }
    expect(snapshot()).toEqual(before);
  });

  it("two outputs that are hard links of one file are one file too", () => {
    const out = tempDir();
    writeFileSync(join(out, "a.json"), "{}\n");
    linkSync(join(out, "a.json"), join(out, "b.svg"));
    expectUsageError(run(["train", ...TINY, "--json", join(out, "a.json"), "--plot", join(out, "b.svg")]), /--json and --plot name the same file "[^"]*a.json": give each its own/);
    expect(readdirSync(out).sort()).toEqual(["a.json", "b.svg"]);
  });

  it("--save over --weights trains on in place: the file holds the new weights, whole", async () => {
    const weights = at("in-place.npz");
    const start = writeNpz({ w1: matrix(5, 3, 3), w2: matrix(3, 2, 4) });
    writeFileSync(weights, start);
    const { status, stderr } = run(["train", "--x", at("x.npy"), "--y", at("y.npy"), "--weights", weights, "--save", weights, "--iterations", "3", "--quiet"]);
    expect(status, stderr).toBe(0);
    expect(stderr).toContain(`save ${weights}`);
    const [before, after] = [await readArrays(start), await readArrays(new Uint8Array(readFileSync(weights)))];
    expect(after.w1.shape).toEqual([5, 3]);
    expect(after.w1.data).not.toEqual(before.w1.data);
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});

/** An .npz as np.savez lays it out, with member names writeNpz would refuse. */
const npzOf = (arrays: NdArrays) => zipSync(Object.fromEntries(Object.entries(arrays).map(([name, array]) => [`${name}.npy`, writeNpy(array)])), { level: 0 });

describe("every message is one line, whatever a name holds", () => {
  // What must not reach stderr raw: control characters but the tab, the line and paragraph
  // separators, the bidirectional controls; and a newline anywhere but at the end of a line.
  const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
  const NASTY = "a\nb\r\u001b[31mc\u009b\u2028\u202ed";
  const ESCAPED = String.raw`a\nb\r\u001b[31mc\u009b\u2028\u202ed`;

  it("the summary names a file called with a newline and terminal escapes escaped, a plain name as typed", () => {
    const dir = tempDir();
    const json = join(dir, `${NASTY}.json`);
    const plot = join(dir, "plain.svg");
    const { status, stderr } = run(["train", ...TINY, "--iterations", "3", "--quiet", "--json", json, "--plot", plot]);
    expect(status, stderr).toBe(0);
    expect(stderr.split("\n"), stderr).toHaveLength(2);
    expect(stderr).not.toMatch(RAW);
    expect(stderr.endsWith(`, json "${dir}/${ESCAPED}.json", plot ${plot}\n`), stderr).toBe(true);
    expect(JSON.parse(readFileSync(json, "utf8")).losses).toHaveLength(3);
  });

  it("an array's name inside --data, and a tensor's inside --weights, are escaped in the refusal", () => {
    const dir = tempDir();
    const one = { data: new Float64Array(1), shape: [1, 1] };
    const data = join(dir, "d.safetensors");
    writeFileSync(data, writeSafetensors({ x: one, y: one, [NASTY]: one }));
    expectUsageError(run(["train", "--data", data]), new RegExp(`holds "${ESCAPED.replace(/[\\[]/g, "\\$&")}" besides x and y`));
    const weights = join(dir, "w.npz");
    // The library's own message lists the names held; the command line escapes what it left raw.
    // writeNpz refuses such a name, but other writers do not (Python's zipfile, np.savez(**names)).
    writeFileSync(weights, npzOf({ [`w1${NASTY}`]: one, w2: one }));
    const refused = run(["train", "--weights", weights]);
    expectUsageError(refused, /has no array "w1" \(it holds "w1a\\nb\\r\\u001b\[31mc\\u009b\\u2028\\u202ed", w2\)/);
    expect(refused.stderr).not.toMatch(RAW);
    const listed = join(dir, "listed.npz");
    writeFileSync(listed, npzOf({ [NASTY]: one }));
    expectUsageError(run(["train", "--data", listed]), new RegExp(`has no array "x" \\(it holds "${ESCAPED.replace(/[\\[]/g, "\\$&")}"\\)`));
  });
});
