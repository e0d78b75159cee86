// The page's state as a query string: one table of parameters (the URL key is the option name),
// their defaults (the tutorial's), reading a URL into options and writing options back. Values are
// passed to twolayer as typed, so that its own TwoLayerError messages judge them; only the page's
// own parameters (iteration, line) and unknown keys are judged here.
import { TUTORIAL } from "twolayer";

type Kind = "number" | "string" | "switch";

interface Param {
  /** The tutorial's value: a parameter at its default is left out of the URL. */
  default: number | string | boolean;
  /** How the URL's text becomes a value: numbers, strings, or true/false/"auto". */
  kind: Kind;
  /** Where it goes: an option of TwoLayerNet.create, of the loop (net.train), or the page's own position. */
  to: "net" | "loop" | "page";
}

/**
 * Every parameter the URL carries, in the order it writes them. A new option of TwoLayerNet.create
 * (such as `algorithm`) is one more entry here, with a control of the same `name` in index.html's form.
 */
export const PARAMS = {
  n: { default: TUTORIAL.n, kind: "number", to: "net" },
  dIn: { default: TUTORIAL.dIn, kind: "number", to: "net" },
  hidden: { default: TUTORIAL.hidden, kind: "number", to: "net" },
  dOut: { default: TUTORIAL.dOut, kind: "number", to: "net" },
  seed: { default: TUTORIAL.seed, kind: "number", to: "net" },
  dtype: { default: "f64", kind: "string", to: "net" },
  backend: { default: "wasm", kind: "string", to: "net" },
  algorithm: { default: "direct", kind: "string", to: "net" },
  simd: { default: "auto", kind: "switch", to: "net" },
  threads: { default: "auto", kind: "switch", to: "net" },
  learningRate: { default: TUTORIAL.learningRate, kind: "number", to: "loop" },
  iterations: { default: TUTORIAL.iterations, kind: "number", to: "loop" },
  iteration: { default: 0, kind: "number", to: "page" },
  line: { default: 0, kind: "number", to: "page" },
} as const satisfies Record<string, Param>;

export type ParamName = keyof typeof PARAMS;
export type Values = Record<ParamName, unknown>;

export const DEFAULTS: Values = Object.fromEntries(Object.entries(PARAMS).map(([k, p]) => [k, p.default])) as Values;

/** Text as the value twolayer should judge: a number where it reads as one, else the text itself. */
function parse(kind: Kind, text: string): unknown {
  const t = text.trim();
  if (kind === "switch") {
    if (t === "true" || t === "false") return t === "true";
    return /^\d+$/.test(t) ? Number(t) : t;
  }
  if (kind === "number") return t !== "" && Number.isFinite(Number(t)) ? Number(t) : t;
  return t;
}

/** A parameter's text (from the URL or the form) as its value. */
export function parseValue(name: ParamName, text: string): unknown {
  return parse(PARAMS[name].kind, text);
}

export interface Read {
  values: Values;
  /** What is wrong with the page's own parameters or the keys (twolayer judges the options). */
  problems: string[];
}

/** The URL's query string read over the defaults. */
export function readQuery(search: string): Read {
  const values = { ...DEFAULTS };
  const problems: string[] = [];
  for (const [key, text] of new URLSearchParams(search)) {
    if (!(key in PARAMS)) {
      problems.push(`the link has an unknown parameter ${JSON.stringify(key)}; this page reads ${Object.keys(PARAMS).join(", ")}`);
      continue;
    }
    values[key as ParamName] = parseValue(key as ParamName, text);
  }
  return { values, problems: [...problems, ...positionProblems(values)] };
}

/** The page's position must lie in the run: iteration 0 … iterations − 1, line 0 … 9. */
export function positionProblems(values: Values): string[] {
  const problems: string[] = [];
  const { iteration, line, iterations } = values;
  const last = typeof iterations === "number" && Number.isInteger(iterations) && iterations > 0 ? iterations - 1 : undefined;
  if (typeof iteration !== "number" || !Number.isInteger(iteration) || iteration < 0 || (last !== undefined && iteration > last)) {
    problems.push(`iteration must be an integer from 0 to ${last ?? "iterations − 1"}, got ${JSON.stringify(iteration)}`);
  }
  if (typeof line !== "number" || !Number.isInteger(line) || line < 0 || line > 9) {
    problems.push(`line must be an integer from 0 to 9 (the next line of the loop body), got ${JSON.stringify(line)}`);
  }
  return problems;
}

/** The query string of `values`: only what differs from the defaults, in PARAMS's order. */
export function writeQuery(values: Values): string {
  const query = new URLSearchParams();
  for (const name of Object.keys(PARAMS) as ParamName[]) {
    if (values[name] !== PARAMS[name].default) query.set(name, String(values[name]));
  }
  const text = query.toString();
  return text === "" ? "" : `?${text}`;
}

/** The options for TwoLayerNet.create and for the loop, from `values`. */
export function optionsOf(values: Values): { net: Record<string, unknown>; loop: { learningRate: unknown; iterations: unknown } } {
  const net: Record<string, unknown> = {};
  for (const name of Object.keys(PARAMS) as ParamName[]) if (PARAMS[name].to === "net") net[name] = values[name];
  return { net, loop: { learningRate: values.learningRate, iterations: values.iterations } };
}

/** Whether `values` are the tutorial's seed-0 run, the one numpy's fixture holds. */
export function isNumpyRun(values: Values): boolean {
  return (["n", "dIn", "hidden", "dOut", "seed", "learningRate"] as const).every((k) => values[k] === PARAMS[k].default) && values.dtype === "f64";
}
