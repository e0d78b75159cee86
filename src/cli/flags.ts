// The command line's one table: every flag, the option it sets (the library judges the value, as it
// judges any caller's), how its text becomes that option's value, and its line in --help. Messages
// about an option are said back in flag words from this table.
import { TwoLayerError } from "../errors.js";
import { MAX_ITERATIONS, MAX_SEED, MAX_THREADS, TUTORIAL } from "../options.js";

export interface Flag {
  /** The flag's name, without the dashes. */
  readonly name: string;
  /** The `train` option it sets; flags of the command line itself have none. */
  readonly option?: string;
  /** `"value"`: takes one value (`--n 64` or `--n=64`); `"switch"`: takes none and means true. */
  readonly kind: "value" | "switch";
  /** For a value flag: the word for its value in --help. */
  readonly arg?: string;
  /** For a value flag with fixed choices: each choice's text and the option value it means. */
  readonly choices?: Readonly<Record<string, unknown>>;
  /** Whether the value is a number (or, with `auto`, the word auto). */
  readonly numeric?: boolean;
  readonly help: string;
}

const value = (name: string, option: string | undefined, arg: string, help: string, extra: Partial<Flag> = {}): Flag => ({ name, option, kind: "value", arg, help, ...extra });
const number = (name: string, option: string | undefined, arg: string, help: string): Flag => value(name, option, arg, help, { numeric: true });
const toggle = (name: string, option: string | undefined, help: string): Flag => ({ name, option, kind: "switch", help });

/** The flags of `twolayer train`, in --help's order. */
export const FLAGS: readonly Flag[] = [
  number("n", "n", "N", `batch size (default ${TUTORIAL.n})`),
  number("d-in", "dIn", "N", `input width (default ${TUTORIAL.dIn})`),
  number("hidden", "hidden", "N", `hidden width (default ${TUTORIAL.hidden})`),
  number("d-out", "dOut", "N", `output width (default ${TUTORIAL.dOut})`),
  number("iterations", "iterations", "N", `training iterations, 0 to ${MAX_ITERATIONS} (default ${TUTORIAL.iterations})`),
  number("lr", "learningRate", "X", `learning rate, finite and >= 0 (default ${TUTORIAL.learningRate})`),
  number("seed", "seed", "N", `numpy seed, 0 to ${MAX_SEED} (default ${TUTORIAL.seed})`),
  value("dtype", "dtype", "T", "f64 (numpy's float64, default) or f32", { choices: { f64: "f64", f32: "f32" } }),
  value("backend", "backend", "B", "wasm (default) or js (plain TypeScript)", { choices: { wasm: "wasm", js: "js" } }),
  value("simd", "simd", "S", "auto (default), on or off: the wasm build with or without SIMD", { choices: { auto: "auto", on: true, off: false } }),
  value("threads", "threads", "N", `threads for the wasm backend: 1 to ${MAX_THREADS} or auto (default 1)`, { numeric: true }),
  toggle("fma", "fma", "fused multiply-add in the matrix products (relaxed SIMD; last bits may differ)"),
  number("every", undefined, "K", "print every K-th loss line only, and the last (default 1)"),
  toggle("quiet", undefined, "print no loss lines"),
  value("json", undefined, "FILE", "write the run as JSON to FILE (fields below)"),
  value("plot", undefined, "FILE", "write the loss plot as SVG to FILE (log-scale y axis)"),
  toggle("linear", undefined, "plot with a linear y axis instead"),
  toggle("help", undefined, "show this help"),
];

/** The fields `--json` writes, in order (the help lists the same). */
export const JSON_FIELDS = ["config", "losses", "seconds", "backend", "status"] as const;

const byName = new Map(FLAGS.map((flag) => [flag.name, flag]));
const byOption = new Map(FLAGS.filter((flag) => flag.option).map((flag) => [flag.option!, flag]));

/** The flag called `name`, if there is one. */
export function flag(name: string): Flag | undefined {
  return byName.get(name);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The option value a flag's text means: a number for numeric text, a choice's value, true for a
 * switch; anything else stays the text, for the library to refuse in its own words.
 */
export function parseValue(flag: Flag, text: string | undefined): unknown {
  if (flag.kind === "switch") return true;
  if (flag.choices && Object.hasOwn(flag.choices, text!)) return flag.choices[text!];
  if (flag.numeric && NUMBER.test(text!)) return Number(text);
  return text;
}

/** ≥ and "quotes" read well in a library message; a terminal gets >= and bare words. */
const plain = (text: string) => text.replace(/≥/g, ">=").replace(/"/g, "");

/**
 * A library error said in flag words: "--d-in takes an integer from 1 to …, got "2.5"" for one
 * option's value; in other messages each option name becomes its flag.
 */
export function inFlagWords(error: TwoLayerError, given: ReadonlyMap<string, string>): string {
  const flag = error.option === undefined ? undefined : byOption.get(error.option) ?? byName.get(error.option);
  if (flag && error.expected !== undefined) {
    const accepts = flag.choices ? orList(Object.keys(flag.choices)) : plain(error.expected);
    const text = given.get(flag.name);
    return `--${flag.name} takes ${accepts}${text === undefined ? "" : `, got ${JSON.stringify(text)}`}`;
  }
  let message = error.message;
  for (const [option, f] of byOption) message = message.replace(new RegExp(`(^|[\\s(])${option}(?=[\\s:,;)]|$)`, "g"), `$1--${f.name}`);
  return plain(message);
}

function orList(words: string[]): string {
  return words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

/** The --help text, from the table. */
export function helpText(): string {
  const rows = FLAGS.map((f) => [`--${f.name}${f.arg ? ` ${f.arg}` : ""}`, f.help]);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return `Usage: twolayer train [options]

Trains the two-layer ReLU network of PyTorch's "Learning PyTorch with Examples" (numpy warm-up) and
prints "t loss" for each iteration, as the numpy program does. Every default is the tutorial's.

Options:
${rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join("\n")}

--json writes {${JSON_FIELDS.map((f) => `"${f}"`).join(", ")}}; a non-finite loss is null there.
A one-line summary goes to stderr. Ctrl-C stops training early and still writes --json and --plot.
Exit codes: 0 done, 2 bad arguments, 3 the loss diverged (NaN or infinite: lower --lr),
130 interrupted, 1 anything else.`;
}
