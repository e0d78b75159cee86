// What each output flag writes, and writing them all: a file that fails is said in one line and
// the others are still written.
import { pythonFloat } from "../format.js";
import type { TrainResult } from "../loop.js";
import { lossPlotSvg } from "../plot/loss-plot.js";
import type { Args } from "./args.js";
import { fsWords } from "./fs-words.js";
import { jsonChunks } from "./json-output.js";
import { say } from "./stdio.js";
import { quote } from "./usage.js";
import { writeOutput, type OutputTarget } from "./write-file.js";

type Content = (result: TrainResult, args: Args) => Iterable<string | Uint8Array>;

function plot(result: TrainResult, args: Args): string[] {
  const { n, dIn, hidden, dOut, learningRate, seed } = result.config;
  const scale = args.switches.has("linear") ? "linear" : "log";
  return [lossPlotSvg(result.losses, { scale, title: `twolayer: N=${n}, D_in=${dIn}, H=${hidden}, D_out=${dOut}, lr=${pythonFloat(learningRate)}, seed=${seed}` })];
}

/** The content of each output flag (flags.ts marks them `output`). */
const CONTENT: Readonly<Record<string, Content>> = {
  json: (result) => jsonChunks(result),
  plot,
};

/** Writes every checked target; returns what was written ("json out.json") and whether any failed. */
export async function writeOutputs(result: TrainResult, args: Args, targets: readonly OutputTarget[]): Promise<{ paths: string[]; failed: boolean }> {
  const paths: string[] = [];
  let failed = false;
  for (const target of targets) {
    try {
      await writeOutput(target, CONTENT[target.flag](result, args));
      paths.push(`${target.flag} ${target.path}`);
    } catch (error) {
      say(`cannot write --${target.flag} ${quote(target.path)}: ${fsWords(error)}`);
      failed = true;
    }
  }
  return { paths, failed };
}
