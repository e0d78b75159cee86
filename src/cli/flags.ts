// The command line's one table: every flag, the commands that take it, the option it sets (the
// library judges the value, as it judges any caller's), how its text becomes that option's value,
// whether it names a file we read or write, and its line in --help. words.ts says library messages
// back in these flags' words.
import { MAX_ITERATIONS, MAX_SEED, MAX_THREADS, TUTORIAL } from "../options.js";
import { numberFromText, type NumberKind } from "./numbers.js";

/** The commands: `twolayer train`, `twolayer predict` and `twolayer bench`. */
export type Command = "train" | "predict" | "bench";

export interface Flag {
  /** The flag's name, without the dashes. */
  readonly name: string;
  /** The commands that take it. */
  readonly commands: readonly Command[];
  /** The `train` option it sets; flags of the command line itself have none. */
  readonly option?: string;
  /** `"value"`: takes one value (`--n 64` or `--n=64`); `"switch"`: takes none and means true. */
  readonly kind: "value" | "switch";
  /** For a value flag: the word for its value in --help. */
  readonly arg?: string;
  /** For a value flag with fixed choices: each choice's text and the option value it means. */
  readonly choices?: Readonly<Record<string, unknown>>;
  /** Whether the value is a number, and which kind (other text, such as auto, passes as text). */
  readonly numeric?: NumberKind;
  /**
   * The value names a file we write at the end of the run. Such a path is checked before training
   * (outputs.ts) and written whole or not at all (write-file.ts).
   */
  readonly output?: true;
  /** The value names a file we read before training (inputs.ts); its contents are checked there. */
  readonly input?: true;
  /**
   * For an output: the one input flag whose file it may name (outputs.ts refuses every other input).
   * --save may name --weights' file, to train on in place: the weights are read before training, and
   * the new ones are written beside and renamed over, so the file holds the old or the new, whole.
   */
  readonly mayReplace?: string;
  /** For a file flag whose format comes from the name: the extensions it takes (lower case, with the dot). */
  readonly extensions?: readonly string[];
  readonly help: string;
  /** Its line in one command's --help, where that differs from `help`. */
  readonly helpIn?: Readonly<Partial<Record<Command, string>>>;
}

const TRAIN: readonly Command[] = ["train"];
const BOTH: readonly Command[] = ["train", "predict"];
const PREDICT: readonly Command[] = ["predict"];
const ALL: readonly Command[] = ["train", "predict", "bench"];

const value = (name: string, option: string | undefined, arg: string, help: string, extra: Partial<Flag> = {}): Flag => ({ name, commands: TRAIN, option, kind: "value", arg, help, ...extra });
const integer = (name: string, option: string | undefined, arg: string, help: string, extra: Partial<Flag> = {}): Flag => value(name, option, arg, help, { numeric: "integer", ...extra });
const file = (name: string, help: string, extra: Partial<Flag> = {}): Flag => value(name, undefined, "FILE", help, { output: true, ...extra });
const input = (name: string, help: string, extra: Partial<Flag> = {}): Flag => value(name, undefined, "FILE", help, { input: true, ...extra });
const toggle = (name: string, option: string | undefined, help: string, extra: Partial<Flag> = {}): Flag => ({ name, commands: TRAIN, option, kind: "switch", help, ...extra });

/** The flags of `twolayer train` and `twolayer predict`, in --help's order. */
export const FLAGS: readonly Flag[] = [
  integer("n", "n", "N", `batch size (default ${TUTORIAL.n}; from --data or --x when given)`),
  integer("d-in", "dIn", "N", `input width (default ${TUTORIAL.dIn}; from --data, --x or --weights when given)`),
  integer("hidden", "hidden", "N", `hidden width (default ${TUTORIAL.hidden}; from --weights when given)`),
  integer("d-out", "dOut", "N", `output width (default ${TUTORIAL.dOut}; from --data, --y or --weights when given)`),
  integer("iterations", "iterations", "N", `training iterations, 0 to ${MAX_ITERATIONS} (default ${TUTORIAL.iterations})`, {
    commands: ["train", "bench"],
    helpIn: { bench: `iterations of each timed run, 1 to ${TUTORIAL.iterations} (default ${TUTORIAL.iterations}: the seed run)` },
  }),
  value("lr", "learningRate", "X", `learning rate, finite and >= 0 (default ${TUTORIAL.learningRate})`, { numeric: "real" }),
  integer("seed", "seed", "N", `numpy seed, 0 to ${MAX_SEED} (default ${TUTORIAL.seed}): draws what no file gives`),
  input("data", "train on x and y from an .npz or .safetensors FILE holding arrays x and y"),
  input("x", "inputs x, an .npy or .csv FILE of rows x D_in (train: N rows)", { commands: BOTH }),
  input("y", "targets y, an .npy or .csv FILE of N rows x D_out"),
  input("weights", "start from (predict: use) saved weights w1 and w2, an .npz or .safetensors FILE", { commands: BOTH }),
  value("dtype", "dtype", "T", "f64 (numpy's float64, default; predict: the weights file's) or f32", { choices: { f64: "f64", f32: "f32" }, commands: BOTH }),
  value("backend", "backend", "B", "wasm (default) or js (plain TypeScript)", { choices: { wasm: "wasm", js: "js" }, commands: BOTH }),
  value("simd", "simd", "S", "auto (default), on or off: the wasm build with or without SIMD", { choices: { auto: "auto", on: true, off: false }, commands: BOTH }),
  integer("threads", "threads", "N", `threads for the wasm backend: 1 to ${MAX_THREADS} or auto (default 1)`, { commands: BOTH }),
  value("algorithm", "algorithm", "A", "direct (default: the numpy program as written) or gram (the same training through K = x.x^T; see README)", { choices: { direct: "direct", gram: "gram" } }),
  toggle("fma", "fma", "fused multiply-add in the matrix products (relaxed SIMD; last bits may differ)", { commands: BOTH }),
  integer("every", undefined, "K", "print every K-th loss line only, and the last (default 1)"),
  toggle("quiet", undefined, "print no loss lines"),
  file("json", "write the run as JSON to FILE (fields below)", { commands: ["train", "bench"], helpIn: { bench: "write the table as JSON to FILE (with the machine and runtime)" } }),
  file("plot", "write the loss plot as SVG to FILE (log-scale y axis)"),
  toggle("linear", undefined, "plot with a linear y axis instead"),
  file("save", "write the trained weights to FILE: .npz or .safetensors, by its extension", { extensions: [".npz", ".safetensors"], mayReplace: "weights" }),
  file("out", "write the predictions to FILE: .npy, .npz (array y_pred) or .csv, by its extension (default: print them)", {
    extensions: [".npy", ".npz", ".csv"],
    commands: PREDICT,
  }),
  toggle("quick", undefined, "fewer samples per run: a first look in about half the time", { commands: ["bench"] }),
  toggle("help", undefined, "show this help", { commands: ALL }),
];

/** The fields `--json` writes, in order (the help lists the same). */
export const JSON_FIELDS = ["config", "losses", "seconds", "backend", "status"] as const;

const byName = new Map(FLAGS.map((flag) => [flag.name, flag]));

/** The flag called `name`, if there is one. */
export function flag(name: string): Flag | undefined {
  return byName.get(name);
}

/** The flag that sets `option` (or, for the command line's own flags, is called that). */
export function flagOf(option: string): Flag | undefined {
  return FLAGS.find((f) => f.option === option) ?? byName.get(option);
}

/**
 * The option value a flag's text means: a number for numeric text (numbers.ts), a choice's value,
 * true for a switch; anything else stays the text, for the library to refuse in its own words.
 */
export function parseValue(flag: Flag, text: string | undefined): unknown {
  if (flag.kind === "switch") return true;
  if (text === undefined) return undefined;
  if (flag.choices && Object.hasOwn(flag.choices, text)) return flag.choices[text];
  if (flag.numeric) return numberFromText(flag.name, text, flag.numeric);
  return text;
}
