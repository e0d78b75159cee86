// `twolayer train`: the numpy program's output ("t loss" per iteration), then --json, --plot and a
// summary on stderr.
import { writeFileSync } from "node:fs";
import { pythonFloat } from "../format.js";
import type { TrainResult } from "../loop.js";
import { TUTORIAL } from "../options.js";
import { lossPlotSvg } from "../plot/loss-plot.js";
import { train } from "../train.js";
import { integer } from "../validate.js";
import type { Args } from "./args.js";
import { FLAGS, flag, JSON_FIELDS, parseValue } from "./flags.js";
import { lineWriter } from "./lines.js";

/** The options the flags given set, each value as parseValue reads its text (train judges them). */
function optionsFrom(args: Args): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const f of FLAGS) {
    if (f.option === undefined) continue;
    if (f.kind === "switch" ? args.switches.has(f.name) : args.given.has(f.name)) options[f.option] = parseValue(f, args.given.get(f.name));
  }
  return options;
}

/** Runs the training the flags describe; resolves to the exit code. */
export async function trainCommand(args: Args): Promise<number> {
  const options = optionsFrom(args);
  const every = integer("every", parseValue(flag("every")!, args.given.get("every")), 1, 1, Number.MAX_SAFE_INTEGER, "print every K-th loss line");
  const quiet = args.switches.has("quiet");
  const out = lineWriter();
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once("SIGINT", onSigint);
  let result: TrainResult;
  try {
    const lastIteration = (typeof options.iterations === "number" ? options.iterations : TUTORIAL.iterations) - 1;
    result = await train({
      ...options,
      signal: interrupt.signal,
      onIteration: quiet ? undefined : (t, loss) => {
        if (t % every === 0 || t === lastIteration) out.line(`${t} ${pythonFloat(loss)}`);
      },
    });
  } finally {
    out.flush();
    process.off("SIGINT", onSigint);
  }
  writeOutputs(result, args);
  summarize(result, args);
  return result.status === "diverged" ? 3 : result.status === "aborted" ? 130 : 0;
}

function writeOutputs(result: TrainResult, args: Args): void {
  const json = args.given.get("json");
  if (json !== undefined) {
    // JSON has no NaN or Infinity: a diverged run's last loss is written as null.
    const fields: Record<(typeof JSON_FIELDS)[number], unknown> = { ...result, losses: Array.from(result.losses) };
    writeFileSync(json, JSON.stringify(Object.fromEntries(JSON_FIELDS.map((name) => [name, fields[name]]))) + "\n");
  }
  const plot = args.given.get("plot");
  if (plot !== undefined) {
    const { n, dIn, hidden, dOut, learningRate, seed } = result.config;
    const scale = args.switches.has("linear") ? "linear" : "log";
    writeFileSync(plot, lossPlotSvg(result.losses, { scale, title: `twolayer: N=${n}, D_in=${dIn}, H=${hidden}, D_out=${dOut}, lr=${pythonFloat(learningRate)}, seed=${seed}` }));
  }
}

function summarize(result: TrainResult, args: Args): void {
  const { losses, status } = result;
  for (const fallback of result.fallbacks) process.stderr.write(`twolayer: ${fallback}\n`);
  if (status === "diverged") process.stderr.write(`twolayer: ${result.divergence!.message}\n`);
  if (status === "aborted") process.stderr.write(`twolayer: interrupted after ${losses.length} iterations\n`);
  const first = losses.length ? pythonFloat(losses[0]) : "-";
  const last = losses.length ? pythonFloat(losses[losses.length - 1]) : "-";
  const json = args.given.get("json");
  const plot = args.given.get("plot");
  process.stderr.write(
    `twolayer: ${result.backend} ${result.dtype}, ${losses.length} iterations, loss ${first} -> ${last}, ` +
      `${result.seconds.toFixed(3)} s, ${result.gflops.toFixed(1)} GFLOP/s` +
      `${result.threadsUsed > 1 ? `, ${result.threadsUsed} threads` : ""}${result.fmaUsed ? ", fma" : ""}` +
      `${json ? `, json ${json}` : ""}${plot ? `, plot ${plot}` : ""}\n`,
  );
}
