// What train's output flags write, and writing a command's outputs: a file that fails is said in one
// line and the others are still written.
import { pythonFloat } from "../format.js";
import type { TrainResult } from "../loop.js";
import { lossPlotSvg } from "../plot/loss-plot.js";
import type { Args } from "./args.js";
import { fsWords } from "./fs-words.js";
import { jsonChunks } from "./json-output.js";
import { say } from "./stdio.js";
import { quote, shownName } from "./usage.js";
import { writeOutput, type OutputTarget } from "./write-file.js";

/** The chunks of one output file. */
export type Chunks = Iterable<string | Uint8Array>;

function plot(result: TrainResult, args: Args): string[] {
  const { n, dIn, hidden, dOut, learningRate, seed } = result.config;
  const scale = args.switches.has("linear") ? "linear" : "log";
  return [lossPlotSvg(result.losses, { scale, title: `twolayer: N=${n}, D_in=${dIn}, H=${hidden}, D_out=${dOut}, lr=${pythonFloat(learningRate)}, seed=${seed}` })];
}

/**
 * What train's output flags write (flags.ts marks them `output`): the run, its plot, and `weights`,
 * the trained network's saveWeights bytes in the format --save's extension names.
 */
export function trainContent(result: TrainResult, args: Args, weights: Uint8Array | undefined): (flag: string) => Chunks {
  return (flag) => (flag === "json" ? jsonChunks(result) : flag === "plot" ? plot(result, args) : [weights!]);
}

/**
 * Writes every checked target with `content`'s chunks; returns what was written ("json out.json",
 * the name quoted unless plain: `json "a\nb.json"`) and whether any failed.
 */
export async function writeOutputs(targets: readonly OutputTarget[], content: (flag: string) => Chunks): Promise<{ paths: string[]; failed: boolean }> {
  const paths: string[] = [];
  let failed = false;
  for (const target of targets) {
    try {
      await writeOutput(target, content(target.flag));
      paths.push(`${target.flag} ${shownName(target.path)}`);
    } catch (error) {
      say(`cannot write --${target.flag} ${quote(target.path)}: ${fsWords(error)}`);
      failed = true;
    }
  }
  return { paths, failed };
}
