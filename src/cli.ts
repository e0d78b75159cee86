#!/usr/bin/env node
import { writeFileSync } from "node:fs";
import { describe, TwoLayerError } from "./errors.js";
import { pythonFloat } from "./format.js";
import { MAX_ITERATIONS, MAX_THREADS, TUTORIAL, closest } from "./options.js";
import { lossPlotSvg } from "./plot/loss-plot.js";
import { train } from "./train.js";
import type { TrainResult } from "./loop.js";

const HELP = `Usage: twolayer train [options]

Trains the two-layer ReLU network of PyTorch's "Learning PyTorch with Examples" (numpy warm-up) and
prints "t loss" for each iteration, as the numpy program does. Every default is the tutorial's.

Options:
  --n N             batch size (default ${TUTORIAL.n})
  --d-in N          input width (default ${TUTORIAL.dIn})
  --hidden N        hidden width (default ${TUTORIAL.hidden})
  --d-out N         output width (default ${TUTORIAL.dOut})
  --iterations N    training iterations, 0 or more (default ${TUTORIAL.iterations})
  --lr X            learning rate, finite and >= 0 (default ${TUTORIAL.learningRate})
  --seed N          numpy seed, 0 to 4294967295 (default ${TUTORIAL.seed})
  --dtype T         f64 (numpy's float64, default) or f32
  --backend B       wasm (default) or js (plain TypeScript)
  --simd S          auto (default), on or off: the wasm build with or without SIMD
  --threads N       threads for the wasm backend: a number or auto (default 1)
  --fma             fused multiply-add in the matrix products (relaxed SIMD; last bits may differ)
  --every K         print every K-th loss line only (default 1)
  --quiet           print no loss lines
  --json FILE       write {"config", "losses", "seconds", "backend"} as JSON to FILE
  --plot FILE       write the loss plot as SVG to FILE (log-scale y axis)
  --linear          plot with a linear y axis instead
  --help            show this help

A one-line summary goes to stderr. Ctrl-C stops training early and still writes --json and --plot.
Exit codes: 0 done, 2 bad arguments, 3 the loss diverged (NaN or infinite: lower --lr),
130 interrupted, 1 anything else.`;

/** A command-line mistake: printed as one line, exit code 2. */
class UsageError extends Error {}

const VALUE_FLAGS = ["n", "d-in", "hidden", "d-out", "iterations", "lr", "seed", "dtype", "backend", "simd", "threads", "every", "json", "plot"];
const SWITCHES = ["quiet", "linear", "fma", "help"];

interface Args {
  values: Map<string, string>;
  switches: Set<string>;
}

function parse(argv: string[]): Args {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") return { values, switches: new Set(["help"]) };
  if (command !== "train") {
    throw new UsageError(
      command === undefined ? "missing command: try 'twolayer train' (or --help)" : `unknown command "${command}": the command is 'train' (see --help)`,
    );
  }
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "-h") { switches.add("help"); continue; }
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument "${arg}": options start with -- (see --help)`);
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (SWITCHES.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      switches.add(name);
    } else if (VALUE_FLAGS.includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : rest[++i];
      if (value === undefined || (eq < 0 && value.startsWith("--"))) throw new UsageError(`--${name} needs a value (see --help)`);
      values.set(name, value);
    } else {
      const guess = closest(name, [...VALUE_FLAGS, ...SWITCHES]);
      throw new UsageError(`unknown option --${name}${guess ? `; did you mean --${guess}?` : ""} (see --help)`);
    }
  }
  return { values, switches };
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function integerFlag(args: Args, name: string, fallback: number, min: number, max: number): number {
  const text = args.values.get(name);
  if (text === undefined) return fallback;
  const value = NUMBER.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} takes an integer from ${min} to ${max}, got ${describe(text)}`);
  }
  return value;
}

function choiceFlag<T extends string>(args: Args, name: string, fallback: T, allowed: readonly T[]): T {
  const text = args.values.get(name);
  if (text === undefined) return fallback;
  if (!allowed.includes(text as T)) throw new UsageError(`--${name} takes ${allowed.join(" or ")}, got ${describe(text)}`);
  return text as T;
}

function threadsFlag(args: Args): number | "auto" {
  const text = args.values.get("threads");
  if (text === "auto") return text;
  const value = text === undefined ? 1 : NUMBER.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < 1 || value > MAX_THREADS) {
    throw new UsageError(`--threads takes an integer from 1 to ${MAX_THREADS} or auto, got ${describe(text)}`);
  }
  return value;
}

function learningRateFlag(args: Args): number {
  const text = args.values.get("lr");
  if (text === undefined) return TUTORIAL.learningRate;
  const value = NUMBER.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`--lr takes a finite number >= 0 such as 1e-6, got ${describe(text)}`);
  return value;
}

/** Writes lines to stdout in batches, so printing costs the loop next to nothing. */
function lineWriter(): { line(text: string): void; flush(): void } {
  let pending: string[] = [];
  let last = performance.now();
  const flush = () => {
    if (pending.length) process.stdout.write(pending.join("\n") + "\n");
    pending = [];
    last = performance.now();
  };
  return {
    line(text) {
      pending.push(text);
      if (performance.now() - last > 100) flush();
    },
    flush,
  };
}

async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  if (args.switches.has("help")) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  const size = 2 ** 31 - 1;
  const options = {
    n: integerFlag(args, "n", TUTORIAL.n, 1, size),
    dIn: integerFlag(args, "d-in", TUTORIAL.dIn, 1, size),
    hidden: integerFlag(args, "hidden", TUTORIAL.hidden, 1, size),
    dOut: integerFlag(args, "d-out", TUTORIAL.dOut, 1, size),
    iterations: integerFlag(args, "iterations", TUTORIAL.iterations, 0, MAX_ITERATIONS),
    learningRate: learningRateFlag(args),
    seed: integerFlag(args, "seed", TUTORIAL.seed, 0, 2 ** 32 - 1),
    dtype: choiceFlag(args, "dtype", "f64", ["f64", "f32"] as const),
    backend: choiceFlag(args, "backend", "wasm", ["wasm", "js"] as const),
    simd: ({ auto: "auto", on: true, off: false } as const)[choiceFlag(args, "simd", "auto", ["auto", "on", "off"] as const)],
    threads: threadsFlag(args),
    fma: args.switches.has("fma"),
  };
  const every = integerFlag(args, "every", 1, 1, Number.MAX_SAFE_INTEGER);
  const quiet = args.switches.has("quiet");
  const out = lineWriter();

  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once("SIGINT", onSigint);
  let result: TrainResult;
  try {
    result = await train({
      ...options,
      signal: interrupt.signal,
      onIteration: quiet ? undefined : (t, loss) => {
        if (t % every === 0 || t === options.iterations - 1) out.line(`${t} ${pythonFloat(loss)}`);
      },
    });
  } finally {
    out.flush();
    process.off("SIGINT", onSigint);
  }

  const json = args.values.get("json");
  if (json !== undefined) {
    const { config, losses, seconds, backend, status } = result;
    // JSON has no NaN or Infinity: a diverged run's last loss is written as null.
    writeFileSync(json, JSON.stringify({ config, losses: Array.from(losses), seconds, backend, status }) + "\n");
  }
  const plot = args.values.get("plot");
  if (plot !== undefined) {
    const scale = args.switches.has("linear") ? "linear" : "log";
    writeFileSync(plot, lossPlotSvg(result.losses, { scale, title: `twolayer: N=${options.n}, D_in=${options.dIn}, H=${options.hidden}, D_out=${options.dOut}, lr=${pythonFloat(options.learningRate)}, seed=${options.seed}` }));
  }
  const { losses, status } = result;
  for (const fallback of result.fallbacks) process.stderr.write(`twolayer: ${fallback}\n`);
  if (status === "diverged") process.stderr.write(`twolayer: ${result.divergence!.message}\n`);
  if (status === "aborted") process.stderr.write(`twolayer: interrupted after ${losses.length} iterations\n`);
  const first = losses.length ? pythonFloat(losses[0]) : "-";
  const last = losses.length ? pythonFloat(losses[losses.length - 1]) : "-";
  process.stderr.write(
    `twolayer: ${result.backend} ${result.dtype}, ${losses.length} iterations, loss ${first} -> ${last}, ` +
      `${result.seconds.toFixed(3)} s, ${result.gflops.toFixed(1)} GFLOP/s` +
      `${result.threadsUsed > 1 ? `, ${result.threadsUsed} threads` : ""}${result.fmaUsed ? ", fma" : ""}` +
      `${json ? `, json ${json}` : ""}${plot ? `, plot ${plot}` : ""}\n`,
  );
  return status === "diverged" ? 3 : status === "aborted" ? 130 : 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof TwoLayerError) {
      process.stderr.write(`twolayer: ${error.message}\n`);
      process.exitCode = 2;
    } else if (error instanceof Error && "code" in error && typeof error.code === "string" && "path" in error) {
      process.stderr.write(`twolayer: cannot write ${String(error.path)}: ${error.code}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`twolayer: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
      if (process.env.TWOLAYER_DEBUG) console.error(error);
      process.exitCode = 1;
    }
  },
);
