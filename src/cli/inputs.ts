// The files the command line reads (the flags marked `input` in flags.ts), all read and checked
// before anything trains: --data (an .npz or .safetensors of x and y), --x and --y (.npy or .csv),
// --weights (an .npz or .safetensors of w1 and w2). Each must be finite and 2-D, and every size it
// fixes must agree with the size flags and the other files; a disagreement is a UsageError naming
// both values. Problems inside a file are the readers' INVALID_FILE messages, after the flag and path.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { extname } from "node:path";
import { TwoLayerError } from "../errors.js";
import { readArrays } from "../files/detect.js";
import { HEADER_HINT, readCsv } from "../files/csv-read.js";
import type { NdArray } from "../files/types.js";
import { readWeights, type WeightsFile } from "../weights.js";
import type { Args } from "./args.js";
import { parseValue, flag } from "./flags.js";
import { fsWords } from "./fs-words.js";
import { quote, shownName, SHOWN, UsageError } from "./usage.js";

/** A 2-D array from a file: its values row-major, its rows and columns, and where it came from. */
export interface Matrix {
  readonly data: Float64Array | Float32Array;
  readonly rows: number;
  readonly cols: number;
  /** `--x "x.npy"`, for messages. */
  readonly from: string;
}

/** What the input flags gave: x and y, the weights file's bytes and sizes. */
export interface Inputs {
  readonly x?: Matrix;
  readonly y?: Matrix;
  readonly weights?: { readonly bytes: Uint8Array; readonly file: WeightsFile; readonly from: string };
}

const from = (name: string, path: string) => `--${name} ${quote(path)}`;

/**
 * The most bytes an input may hold: what node reads of a regular file in one go (2 GiB − 1). A
 * FIFO is read up to this many and no further, so that one that never ends cannot take all memory.
 */
const MOST_BYTES = 2 ** 31 - 1;

/** Reads a file that is not regular (a FIFO) in chunks, refusing it past MOST_BYTES. */
function readStream(fd: number, refuse: (why: string) => UsageError): Uint8Array {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(1 << 20);
    const read = readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) return Buffer.concat(chunks, total);
    total += read;
    if (total > MOST_BYTES) throw refuse("gave more than 2 GiB without ending, the most an input may hold; give a file");
    chunks.push(chunk.subarray(0, read));
  }
}

/** A file's bytes, or a UsageError naming the flag, the path and what the file system said. */
function readBytes(name: string, path: string): Uint8Array {
  if (path === "") throw new UsageError(`--${name} needs a file name`);
  const refuse = (why: string) => new UsageError(`${from(name, path)}: ${why}`);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw refuse(fsWords(error));
  }
  try {
    const stats = fstatSync(fd);
    // A device (/dev/zero, /dev/urandom, a terminal) never ends, or is no data file: we do not read one.
    if (stats.isCharacterDevice() || stats.isBlockDevice()) throw refuse("is a device, not a file; give a file");
    if (stats.isFile() && stats.size > MOST_BYTES) throw refuse(`holds ${stats.size} bytes, more than 2 GiB, the most an input may hold`);
    return stats.isFile() ? readFileSync(fd) : readStream(fd, refuse);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw refuse(fsWords(error));
  } finally {
    closeSync(fd);
  }
}

/**
 * readCsv's hints that name its API, said as the command line's user can act on them: the command
 * line has no header option (a first line is column names when none of its fields is a number).
 */
const CSV_HINTS: readonly [string, string][] = [
  [HEADER_HINT, "(a first line of column names may hold no number: fix the field, or make the line all names or all numbers)"],
];

/**
 * Runs a reader, saying its INVALID_FILE after the flag and path (without the library's prefix
 * `strip`, and with each of `hints` replaced by the command line's words).
 */
async function reading<T>(name: string, path: string, read: () => T | Promise<T>, strip = "", hints: readonly [string, string][] = []): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof TwoLayerError) || error.code !== "INVALID_FILE") throw error;
    let message = error.message.startsWith(strip) ? error.message.slice(strip.length) : error.message;
    for (const [library, ours] of hints) message = message.replace(library, ours);
    throw new UsageError(`${from(name, path)}: ${message}`);
  }
}

/** A file's array as a finite 2-D matrix named `what` ("x", "y"). */
function matrix(what: string, where: string, { data, shape }: NdArray): Matrix {
  // `where` names the file (and for --data the array): `--x "x.npy"`, `--data "d.npz"'s y`.
  if (shape.length !== 2) {
    const hint = shape.length === 1 ? `; one column is reshape(-1, 1), one row reshape(1, -1)` : "";
    throw new UsageError(`${where} has shape (${shape.join(", ")}${shape.length === 1 ? "," : ""}) but must be 2-D, rows × columns${hint}`);
  }
  const [rows, cols] = shape;
  if (rows === 0 || cols === 0) throw new UsageError(`${where} has shape (${rows}, ${cols}); it needs at least one row and one column`);
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new UsageError(`${where}: ${what}[${Math.floor(bad / cols)}, ${bad % cols}] is ${data[bad]}; the command line trains and predicts on finite values only`);
  }
  return { data, rows, cols, from: where };
}

/** --x or --y: an .npy (numpy's one array) or a .csv, by the file's extension. */
async function matrixFile(name: string, path: string): Promise<Matrix> {
  const ext = extname(path).toLowerCase();
  if (ext !== ".npy" && ext !== ".csv") throw new UsageError(`${from(name, path)}: --${name} takes an .npy or .csv file (by its extension)`);
  const bytes = readBytes(name, path);
  if (ext === ".csv") return matrix(name, from(name, path), await reading(name, path, () => readCsv(bytes), "", CSV_HINTS));
  const arrays = await reading(name, path, () => readArrays(bytes));
  if (!Object.hasOwn(arrays, "arr_0")) throw new UsageError(`${from(name, path)}: is not an .npy file (one array); --data takes an archive of x and y`);
  return matrix(name, from(name, path), arrays.arr_0);
}

/** --data: an .npz or .safetensors holding exactly x and y. */
async function dataFile(path: string): Promise<{ x: Matrix; y: Matrix }> {
  const bytes = readBytes("data", path);
  const arrays = await reading("data", path, () => readArrays(bytes));
  const names = Object.keys(arrays);
  const where = from("data", path);
  if (names.length === 1 && names[0] === "arr_0") throw new UsageError(`${where}: is an .npy file of one array; --data takes x and y in one file, as np.savez("d.npz", x=x, y=y) writes`);
  for (const name of ["x", "y"]) {
    if (!Object.hasOwn(arrays, name)) throw new UsageError(`${where}: has no array "${name}" (it holds ${names.map((n) => shownName(n, SHOWN)).join(", ") || "none"}); --data takes x and y, as np.savez("d.npz", x=x, y=y) writes`);
  }
  const extra = names.filter((n) => n !== "x" && n !== "y");
  if (extra.length > 0) throw new UsageError(`${where}: holds ${extra.map((n) => quote(n)).join(", ")} besides x and y; a data file holds x and y only`);
  return { x: matrix("x", `${where}'s x`, arrays.x), y: matrix("y", `${where}'s y`, arrays.y) };
}

/** --weights: checked as TwoLayerNet.create({ weights }) checks it, its messages after the flag and path. */
async function weightsFile(path: string): Promise<NonNullable<Inputs["weights"]>> {
  const bytes = readBytes("weights", path);
  return { bytes, file: await reading("weights", path, () => readWeights(bytes), "weights: "), from: from("weights", path) };
}

/**
 * Runs `make` (which hands the weights to the library), saying a refusal of the weights file (the
 * library's INVALID_FILE, "weights: …": a NaN in it, a float64 beyond float32's range for --dtype
 * f32) after --weights and its path, as the readers' messages are.
 */
export async function withWeightsNamed<T>(inputs: Inputs, make: () => T | Promise<T>): Promise<T> {
  try {
    return await make();
  } catch (error) {
    const weights = inputs.weights;
    if (weights === undefined || !(error instanceof TwoLayerError) || error.code !== "INVALID_FILE" || !error.message.startsWith("weights: ")) throw error;
    // The command line has no allowNonFinite: the library's hint about it would not help here.
    const message = error.message
      .slice("weights: ".length)
      .replace(/; pass allowNonFinite: true to load non-finite weights anyway$/, "; the command line loads finite weights only")
      .replace(/dtype "(f64|f32)"/g, "--dtype $1");
    throw new UsageError(`${weights.from}: ${message}`);
  }
}

/** What one source says about a size: its value, and the words for it ("--x "x.npy" has 64 rows"). */
interface Claim {
  readonly value: number;
  readonly said: string;
}

/** A size flag as given, or undefined (also for text that is not a number: the library refuses that). */
function sizeFlag(args: Args, name: string): Claim | undefined {
  const text = args.given.get(name);
  const value = text === undefined ? undefined : parseValue(flag(name)!, text);
  return typeof value === "number" ? { value, said: `--${name} is ${value}` } : undefined;
}

/** Throws a UsageError naming the first two claims about `size` that disagree. */
function agree(size: string, claims: (Claim | undefined)[]): void {
  const given = claims.filter((c) => c !== undefined);
  const other = given.find((c) => c.value !== given[0].value);
  if (other) throw new UsageError(`${given[0].said}, but ${other.said}: ${size} must be one number`);
}

/** Reads every input flag given (see the top of this file); size disagreements are UsageErrors. */
export async function readInputs(args: Args): Promise<Inputs> {
  const has = (name: string) => args.given.has(name);
  if (has("data") && (has("x") || has("y"))) throw new UsageError("--data gives x and y; give either --data or --x with --y, not both");
  if (args.command === "train" && has("x") !== has("y")) {
    const [one, other] = has("x") ? ["x", "y"] : ["y", "x"];
    throw new UsageError(`--${one} needs --${other} too: twolayer train takes x and y together (or both from --data)`);
  }
  const data = has("data") ? await dataFile(args.given.get("data")!) : undefined;
  const x = data?.x ?? (has("x") ? await matrixFile("x", args.given.get("x")!) : undefined);
  const y = data?.y ?? (has("y") ? await matrixFile("y", args.given.get("y")!) : undefined);
  const weights = has("weights") ? await weightsFile(args.given.get("weights")!) : undefined;
  const claim = (source: { from: string } | undefined, value: number | undefined, words: string): Claim | undefined =>
    source === undefined || value === undefined ? undefined : { value, said: `${source.from} has ${words}` };
  const w = weights?.file;
  const w1 = `w1 ${w?.dIn}×${w?.hidden}`;
  // predict takes any number of rows: N is train's alone.
  if (args.command === "train") agree("N", [sizeFlag(args, "n"), claim(x, x?.rows, `${x?.rows} rows`), claim(y, y?.rows, `${y?.rows} rows`)]);
  agree("D_in", [sizeFlag(args, "d-in"), claim(x, x?.cols, `${x?.cols} columns (D_in)`), claim(weights, w?.dIn, `${w1} (D_in = ${w?.dIn})`)]);
  agree("H", [sizeFlag(args, "hidden"), claim(weights, w?.hidden, `${w1} (H = ${w?.hidden})`)]);
  agree("D_out", [sizeFlag(args, "d-out"), claim(y, y?.cols, `${y?.cols} columns (D_out)`), claim(weights, w?.dOut, `w2 ${w?.hidden}×${w?.dOut} (D_out = ${w?.dOut})`)]);
  return { x, y, weights };
}
