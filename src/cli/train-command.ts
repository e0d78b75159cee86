// `twolayer train`: the numpy program's output ("t loss" per iteration), then the output files and a
// summary on stderr. The steps, in order: flags to options, output paths checked, input files read,
// training (stopped early by a signal or a failed stdout), the weights saved, the last loss line,
// the files, the summary, the exit code.
import { extname } from "node:path";
import { pythonFloat } from "../format.js";
import type { TrainResult } from "../loop.js";
import { openNetwork, trainNetwork } from "../net.js";
import { trainOptions } from "../options.js";
import { integer } from "../validate.js";
import type { Args } from "./args.js";
import { FLAGS, flag, parseValue } from "./flags.js";
import { lineWriter } from "./lines.js";
import { readInputs, withWeightsNamed, type Inputs } from "./inputs.js";
import { trainContent, writeOutputs } from "./output-files.js";
import { checkOutputs } from "./outputs.js";
import { FAILED } from "./report.js";
import { onStdoutFailure } from "./stdio.js";
import { stdoutStop, watchStops } from "./stops.js";
import { summarize } from "./summary.js";
import { abandonWrites } from "./write-file.js";

/** The options the flags given set, each value as parseValue reads its text (train judges them). */
function optionsFrom(args: Args): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const f of FLAGS) {
    if (f.option === undefined) continue;
    if (f.kind === "switch" ? args.switches.has(f.name) : args.given.has(f.name)) options[f.option] = parseValue(f, args.given.get(f.name));
  }
  return options;
}

/** The options the input files give: x and y with the sizes they fix, and the weights file's bytes. */
function optionsFromInputs({ x, y, weights }: Inputs): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (x && y) Object.assign(options, { x: x.data, y: y.data, n: x.rows, dIn: x.cols, dOut: y.cols });
  if (weights) options.weights = weights.bytes;
  return options;
}

/** Runs the training the flags describe; resolves to the exit code. */
export async function trainCommand(args: Args): Promise<number> {
  const options = optionsFrom(args);
  const every = integer("every", parseValue(flag("every")!, args.given.get("every")), 1, 1, Number.MAX_SAFE_INTEGER, "print every K-th loss line");
  const quiet = args.switches.has("quiet");
  // Signals are ours from here on, so that the output check's probe file is never left behind.
  const stops = watchStops(abandonWrites);
  try {
    const targets = checkOutputs(args);
    const inputs = await readInputs(args);
    const out = lineWriter();
    onStdoutFailure((error) => stops.stop(stdoutStop(error)));
    const checked = await withWeightsNamed(inputs, () => trainOptions({
      ...options,
      ...optionsFromInputs(inputs),
      signal: stops.signal,
      onIteration: quiet ? undefined : (t: number, loss: number) => {
        if (t % every === 0) out.line(`${t} ${pythonFloat(loss)}`);
      },
    }));
    const net = await openNetwork(checked.net);
    const save = targets.find((target) => target.flag === "save");
    let result: TrainResult;
    let weights: Uint8Array | undefined;
    try {
      result = await trainNetwork(net, checked.loop);
      // What training left, however it ended (a diverged network keeps its last finite weights).
      if (save) weights = net.saveWeights(extname(save.path).toLowerCase() === ".npz" ? "npz" : "safetensors");
    } finally {
      net.dispose();
    }
    // The last iteration run is always printed, however the run ended.
    const last = result.losses.length - 1;
    if (!quiet && last >= 0 && last % every !== 0) out.line(`${last} ${pythonFloat(result.losses[last])}`);
    await out.flush();
    const written = await writeOutputs(targets, trainContent(result, args, weights));
    summarize(result, stops.first(), written.paths);
    if (written.failed) return FAILED;
    return stops.first()?.code ?? (result.status === "diverged" ? 3 : 0);
  } finally {
    stops.finish();
  }
}
