// The command line on numpy's files, end to end (the built CLI in a child process): train on --data
// or --x/--y from saved --weights and --save what it trained, as numpy's program would (its losses and
// weights from test/fixtures/files/cli/, made by scripts/make-file-fixtures.py); predict from those
// weights, printed in Python's float format or written as .npy, .npz and .csv; every file read and
// every output path checked before training; sizes that disagree are exit 2 naming both.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pythonFloat } from "../src/format.js";
import { pythonFloat32 } from "../src/files/index.js";
import { readArrays, readCsv, TwoLayerNet, writeNpy } from "../src/index.js";
import { CLI, run, start, tempDir, until } from "./cli-child.js";

const CLI_FILES = fileURLToPath(new URL("./fixtures/files/cli/", import.meta.url));
const WEIGHTS_FILES = fileURLToPath(new URL("./fixtures/files/weights/", import.meta.url));
const cli = (name: string) => join(CLI_FILES, name);
const weights = (name: string) => join(WEIGHTS_FILES, name);
const FACTS = JSON.parse(readFileSync(cli("cli.json"), "utf8")) as { lr: number; iterations: number; losses: number[] };
const TRAIN_FROM_ODD = ["--weights", weights("odd.npz"), "--iterations", String(FACTS.iterations), "--lr", String(FACTS.lr)];

const losses = (stdout: string) => stdout.trim().split("\n").map((line) => Number(line.split(" ")[1]));
const rows = (stdout: string) => stdout.trim().split("\n").map((line) => line.split(" "));
const fileArrays = async (path: string) => readArrays(new Uint8Array(readFileSync(path)));

/** Expects a one-line refusal, exit code 2, nothing on stdout, no stack trace. */
function expectRefused(result: ReturnType<typeof run>, message: RegExp | string): void {
  expect(result.status, result.stderr).toBe(2);
  if (typeof message === "string") expect(result.stderr).toContain(message);
  else expect(result.stderr).toMatch(message);
  expect(result.stderr.trim().split("\n"), result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stdout).toBe("");
}

describe("twolayer train on numpy's files", () => {
  it("--data (np.savez_compressed) from --weights: numpy's losses, and --save writes numpy's weights after them", async () => {
    const dir = tempDir();
    const saved = join(dir, "w.npz");
    const json = join(dir, "run.json");
    const { status, stdout, stderr } = run(["train", "--data", cli("data.npz"), ...TRAIN_FROM_ODD, "--save", saved, "--json", json]);
    expect(status, stderr).toBe(0);
    expect(stderr).toContain(`save ${saved}`);
    losses(stdout).forEach((loss, t) => expect(Math.abs(loss / FACTS.losses[t] - 1), `loss ${t}: ${loss} vs ${FACTS.losses[t]}`).toBeLessThan(1e-9));
    expect(JSON.parse(readFileSync(json, "utf8")).config).toMatchObject({ n: 12, dIn: 37, hidden: 13, dOut: 5, iterations: 20 });
    const got = await fileArrays(saved);
    const want = await fileArrays(cli("trained.npz"));
    for (const name of ["w1", "w2"]) {
      expect(got[name].shape).toEqual(want[name].shape);
      expect(got[name].data).toBeInstanceOf(Float64Array);
      got[name].data.forEach((v, i) => expect(Math.abs(v - want[name].data[i]), `${name}[${i}]`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want[name].data[i]))));
    }
  });

  it("the same data as --x/--y (.npy, Fortran-ordered .npy, .csv with a header) or .safetensors: the same losses bit for bit", () => {
    const reference = run(["train", "--data", cli("data.npz"), ...TRAIN_FROM_ODD]).stdout;
    expect(losses(reference)).toHaveLength(FACTS.iterations);
    for (const data of [
      ["--x", cli("x.npy"), "--y", cli("y.npy")],
      ["--x", cli("x-fortran.npy"), "--y", cli("y.csv")],
      ["--data", cli("data.safetensors")],
    ]) {
      const { status, stdout, stderr } = run(["train", ...data, ...TRAIN_FROM_ODD]);
      expect(status, stderr).toBe(0);
      expect(stdout, data.join(" ")).toBe(reference);
    }
  });

  it("without --weights, the seed draws w1 and w2 (H from --hidden); --save .safetensors in the run's dtype", async () => {
    const dir = tempDir();
    for (const dtype of ["f64", "f32"]) {
      const saved = join(dir, `w-${dtype}.safetensors`);
      const { status, stderr } = run(["train", "--data", cli("data.npz"), "--hidden", "7", "--iterations", "3", "--lr", "1e-4", "--dtype", dtype, "--save", saved, "--quiet"]);
      expect(status, stderr).toBe(0);
      const { w1, w2 } = await fileArrays(saved);
      expect([w1.shape, w2.shape]).toEqual([[37, 7], [7, 5]]);
      expect(w1.data).toBeInstanceOf(dtype === "f64" ? Float64Array : Float32Array);
    }
  });

  it("Ctrl-C stops training and still writes --save, whole and loadable (exit 130)", async () => {
    const dir = tempDir();
    const saved = join(dir, "stopped.npz");
    const long = start(["train", "--data", cli("data.npz"), "--hidden", "3", "--iterations", "100000000", "--lr", "1e-9", "--save", saved]);
    await until(() => long.seen.stdout.length > 2000);
    long.child.kill("SIGINT");
    const [{ code }] = await Promise.all([long.exit, long.closed]);
    expect(code, long.seen.stderr).toBe(130);
    const net = await TwoLayerNet.create({ weights: new Uint8Array(readFileSync(saved)), n: 1 });
    expect([net.dIn, net.hidden, net.dOut]).toEqual([37, 3, 5]);
    net.dispose();
  });
});

describe("twolayer predict", () => {
  it("prints numpy's np.maximum(x @ w1, 0) @ w2 (to 1e-12), one row per line, in Python's float format", async () => {
    const { status, stdout, stderr } = run(["predict", "--weights", weights("odd.npz"), "--x", cli("x.npy")]);
    expect(status, stderr).toBe(0);
    expect(stderr).toBe("");
    const printed = rows(stdout);
    const want = (await fileArrays(cli("predict.npy"))).arr_0;
    expect(printed).toHaveLength(12);
    printed.flat().forEach((text, i) => expect(Math.abs(Number(text) / want.data[i] - 1), `value ${i}: ${text}`).toBeLessThan(1e-12));
    // Exactly the library's predictions, each as Python's repr prints it.
    const net = await TwoLayerNet.create({ weights: new Uint8Array(readFileSync(weights("odd.npz"))), n: 1 });
    const mine = net.predict((await fileArrays(cli("x.npy"))).arr_0.data);
    expect(printed.flat()).toEqual(Array.from(mine, pythonFloat));
    net.dispose();
  });

  it("--out .npy, .npz (array y_pred) and .csv hold the printed values bit for bit; the CSV input too", async () => {
    const dir = tempDir();
    const printed = run(["predict", "--weights", weights("odd.npz"), "--x", cli("x.npy")]).stdout;
    const values = Float64Array.from(rows(printed).flat(), Number);
    const hex = (a: Float64Array | Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");
    for (const ext of ["npy", "npz", "csv"]) {
      const out = join(dir, `p.${ext}`);
      const { status, stdout, stderr } = run(["predict", "--weights", weights("odd.npz"), "--x", cli("x-fortran.npy"), "--out", out]);
      expect(status, stderr).toBe(0);
      expect(stdout).toBe("");
      const bytes = new Uint8Array(readFileSync(out));
      const got = ext === "csv" ? readCsv(bytes) : ext === "npz" ? (await readArrays(bytes)).y_pred : (await readArrays(bytes)).arr_0;
      expect(got.shape).toEqual([12, 5]);
      expect(hex(got.data as Float64Array), ext).toBe(hex(values));
    }
    const csv = join(dir, "x.csv");
    writeFileSync(csv, readFileSync(cli("y.csv"))); // any CSV with a header row: here 12×5 into a 5-input network
    const five = join(dir, "five.npz");
    expect(run(["train", "--x", csv, "--y", cli("y.npy"), "--hidden", "4", "--iterations", "2", "--lr", "1e-4", "--save", five, "--quiet"]).status).toBe(0);
    const viaCsv = run(["predict", "--weights", five, "--x", csv]);
    expect(viaCsv.status, viaCsv.stderr).toBe(0);
    expect(rows(viaCsv.stdout)).toHaveLength(12);
  });

  it("float32 weights predict in f32 (as numpy prints float32s), unless --dtype says otherwise", () => {
    const dir = tempDir();
    const w32 = join(dir, "w32.npz");
    expect(run(["train", "--data", cli("data.npz"), "--hidden", "6", "--iterations", "2", "--lr", "1e-4", "--dtype", "f32", "--save", w32, "--quiet"]).status).toBe(0);
    const f32 = run(["predict", "--weights", w32, "--x", cli("x-f32.npy")]);
    expect(f32.status, f32.stderr).toBe(0);
    for (const text of rows(f32.stdout).flat()) expect(text).toBe(pythonFloat32(Math.fround(Number(text))));
    const f64 = run(["predict", "--weights", w32, "--x", cli("x-f32.npy"), "--dtype", "f64"]);
    expect(f64.status, f64.stderr).toBe(0);
    expect(rows(f64.stdout).flat().some((text) => text.length > 12)).toBe(true); // float64's digits
  });

  it("a closed stdout (| head -1) ends quietly, exit 141; > /dev/full is one line, exit 1", () => {
    const many = join(tempDir(), "many.npy");
    writeFileSync(many, writeNpy({ data: new Float64Array(100_000 * 37).fill(0.25), shape: [100_000, 37] }));
    const predict = `"${process.execPath}" "${CLI}" predict --weights "${weights("odd.npz")}" --x "${many}"`;
    const head = spawnSync("bash", ["-c", `set -o pipefail; ${predict} | head -1`], { encoding: "utf8", timeout: 60_000 });
    expect(head.status, head.stderr).toBe(141);
    expect(head.stdout.split("\n")).toHaveLength(2);
    expect(head.stderr).toBe("");
    const full = spawnSync("bash", ["-c", `${predict} > /dev/full`], { encoding: "utf8", timeout: 60_000 });
    expect(full.status, full.stderr).toBe(1);
    expect(full.stderr).toBe("twolayer: cannot write to stdout, no space left on device (ENOSPC)\n");
  });
});

describe("files and sizes are checked before training, each mistake one line and exit 2", () => {
  const dir = tempDir();
  const shortY = join(dir, "short-y.npy");
  writeFileSync(shortY, writeNpy({ data: new Float64Array(11 * 5), shape: [11, 5] }));
  const truncated = join(dir, "truncated.npz");
  writeFileSync(truncated, readFileSync(cli("data.npz")).subarray(0, 1000));
  const truncatedY = join(dir, "truncated-y.npy");
  writeFileSync(truncatedY, readFileSync(cli("y.npy")).subarray(0, 300));
  const nanX = join(dir, "nan-x.npy");
  const x = new Float64Array(12 * 37).fill(1);
  x[40] = NaN;
  writeFileSync(nanX, writeNpy({ data: x, shape: [12, 37] }));
  mkdirSync(join(dir, "a-dir.npy"));
  const D = ["--data", cli("data.npz")];
  const CASES: [string[], RegExp | string][] = [
    [["train", ...D, "--n", "5"], `--n is 5, but --data "${cli("data.npz")}"'s x has 12 rows: N must be one number`],
    [["train", ...D, "--d-in", "36"], "--d-in is 36, but --data"],
    [["train", ...D, "--d-out", "4"], "'s y has 5 columns (D_out): D_out must be one number"],
    [["train", ...D, "--weights", weights("odd.npz"), "--hidden", "12"], `--hidden is 12, but --weights "${weights("odd.npz")}" has w1 37×13 (H = 13)`],
    [["train", "--x", cli("x.npy"), "--y", shortY], "has 12 rows, but --y"],
    [["train", "--x", cli("x.npy"), "--y", cli("x.npy"), "--weights", weights("odd.npz")], "has 37 columns (D_out), but --weights"],
    [["train", "--x", cli("x-1d.npy"), "--y", cli("y.npy")], "has shape (37,) but must be 2-D"],
    [["train", "--x", nanX, "--y", cli("y.npy")], "x[1, 3] is NaN"],
    [["train", "--data", truncated], `--data "${truncated}": npz`],
    [["train", "--data", cli("x.npy")], "is an .npy file of one array"],
    [["train", "--data", weights("odd.npz")], 'has no array "x" (it holds w1, w2)'],
    [["train", "--x", cli("x.npy")], "--x needs --y too"],
    [["train", ...D, "--x", cli("x.npy")], "give either --data or --x with --y, not both"],
    [["train", "--x", join(dir, "missing.npy"), "--y", cli("y.npy")], "no such file or directory (ENOENT)"],
    [["train", "--x", join(dir, "a-dir.npy"), "--y", cli("y.npy")], "(EISDIR)"],
    [["train", "--x", cli("data.npz"), "--y", cli("y.npy")], "--x takes an .npy or .csv file"],
    [["train", "--weights", weights("nan.npz")], /--weights ".*nan.npz": npz member "w1.npy": w1\[1, 1\] is NaN; the command line loads finite weights only/],
    [["train", "--weights", weights("unchained.npz")], "w1 is 1000×100 and w2 is 50×10"],
    [["train", "--weights", weights("beyond-f32.npz"), "--dtype", "f32"], "beyond float32's range (±3.4028234663852886e+38) of --dtype f32; use --dtype f64"],
    [["train", "--save", join(dir, "w.pt")], "the format comes from the extension, which must be .npz or .safetensors"],
    [["train", "--save", join(dir, "missing-dir", "w.npz")], "does not exist"],
    [["train", "--out", join(dir, "p.npy")], "--out is an option of twolayer predict, not of twolayer train"],
    [["predict", "--x", cli("x.npy")], "twolayer predict needs --weights FILE"],
    [["predict", "--weights", weights("odd.npz")], "twolayer predict needs --x FILE"],
    [["predict", "--weights", weights("odd.npz"), "--x", cli("y.npy")], "has 5 columns (D_in), but --weights"],
    [["predict", "--weights", weights("odd.npz"), "--x", cli("x.npy"), "--out", join(dir, "p.txt")], "which must be .npy, .npz or .csv"],
    [["predict", "--weights", weights("odd.npz"), "--x", cli("x.npy"), "--iterations", "3"], "--iterations is an option of twolayer train and bench, not of twolayer predict"],
    [["predict", "--weights", cli("x.npy"), "--x", cli("x.npy")], "is an .npy file, which holds one array"],
  ];
  it.each(CASES)("%j", (args, message) => {
    expectRefused(run(args), message);
  });

  it("a bad second file is found before any training: no loss line is printed", () => {
    const { status, stdout, stderr } = run(["train", "--x", cli("x.npy"), "--y", truncatedY, "--iterations", "100000000"]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/--y ".*truncated-y.npy": npy data: .* \(the file is truncated\)/);
    expect(stdout).toBe("");
  });
});

describe("predict's --x files that are not data files, each one line and exit 2", () => {
  it("a device under a data file's name (/dev/zero, which never ends) is refused at once, not read until memory runs out", () => {
    const dir = tempDir();
    for (const name of ["zero.csv", "zero.npy"]) {
      symlinkSync("/dev/zero", join(dir, name));
      const result = run(["predict", "--weights", weights("odd.npz"), "--x", join(dir, name)], { timeout: 10_000, killSignal: "SIGKILL" });
      expectRefused(result, /--x ".*zero\.(csv|npy)": is a device, not a file; give a file/);
    }
  });

  it("a file over 2 GiB says so in words, not ERR_FS_FILE_TOO_LARGE", () => {
    const path = join(tempDir(), "huge.npy");
    // Sparse: no disk is used.
    writeFileSync(path, "");
    truncateSync(path, 3 * 2 ** 30);
    expectRefused(run(["predict", "--weights", weights("odd.npz"), "--x", path]), /--x ".*huge\.npy": holds 3221225472 bytes, more than 2 GiB, the most an input may hold$/m);
  });

  it("a CSV as np.savetxt writes it by default (spaces) is named as space-separated", () => {
    const path = join(tempDir(), "x.csv");
    writeFileSync(path, "0.000000000000000000e+00 1.000000000000000000e+00\n2.000000000000000000e+00 3.000000000000000000e+00\n");
    expectRefused(run(["predict", "--weights", weights("odd.npz"), "--x", path]), /csv line 2, column 1: .* is not a number \(the line looks space-separated, and we read only commas/);
  });

  it("a first line mixing names and numbers gets a fix the command line has (it has no header option)", () => {
    const path = join(tempDir(), "x.csv");
    writeFileSync(path, "1,,3\n4,5,6\n");
    const result = run(["predict", "--weights", weights("odd.npz"), "--x", path]);
    expectRefused(result, /csv line 1, column 2: an empty field is not a number, .*: fix the field, or make the line all names or all numbers\)/);
    expect(result.stderr).not.toContain("header: true");
  });
});
