// `twolayer bench [--quick] [--iterations N] [--json FILE]`: the tutorial's seed run timed on this
// machine with tinybench (src/bench/), wasm against plain JavaScript, every run checked against
// numpy's losses first. Progress on stderr, the table on stdout, --json written whole at the end.
// A signal stops the timing: nothing more is printed or written, and the exit code says which.
import { CLI_CONTENDERS, CLI_TIMING, LossMismatch, QUICK_TIMING, machineLine, measureSeedRuns, secondsText, seedRunTable, type SeedRunResult, type Timing } from "../bench/index.js";
import { nodeMachine } from "../bench/machine-node.js";
import { TwoLayerNet } from "../net.js";
import { TUTORIAL } from "../options.js";
import { integer } from "../validate.js";
import type { Args } from "./args.js";
import { iterationsText } from "./stops.js";
import { flag, parseValue } from "./flags.js";
import { writeOutputs } from "./output-files.js";
import { checkOutputs } from "./outputs.js";
import { FAILED } from "./report.js";
import { say, stdoutFailure, writeStdout } from "./stdio.js";
import { stdoutStop, watchStops } from "./stops.js";
import { abandonWrites } from "./write-file.js";

/** What --json writes: the machine, what was timed and how, and each run's statistics (seconds). */
function jsonDocument(machine: ReturnType<typeof nodeMachine>, iterations: number, timing: Timing, runs: readonly SeedRunResult[]): string {
  const doc = {
    machine,
    date: new Date().toISOString(),
    seedRun: { n: 64, dIn: 1000, hidden: 100, dOut: 10, iterations, learningRate: TUTORIAL.learningRate },
    timing,
    runs: runs.map(({ contender, ...run }) => ({ ...run, ...("baseline" in contender ? { baseline: contender.baseline } : { options: contender.options }) })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Runs the benchmark the flags describe; resolves to the exit code. */
export async function benchCommand(args: Args): Promise<number> {
  const iterations = integer("iterations", parseValue(flag("iterations")!, args.given.get("iterations")), TUTORIAL.iterations, 1, TUTORIAL.iterations, "iterations of each timed run");
  const timing = args.switches.has("quick") ? QUICK_TIMING : CLI_TIMING;
  const stops = watchStops(abandonWrites);
  try {
    const targets = checkOutputs(args);
    const machine = nodeMachine();
    say(`twolayer bench: ${machineLine(machine)}; ${CLI_CONTENDERS.length} runs of ${iterationsText(iterations)}, each checked against numpy, then timed`);
    let runs: SeedRunResult[];
    try {
      runs = await measureSeedRuns(CLI_CONTENDERS, {
        iterations,
        timing,
        create: (options) => TwoLayerNet.create(options),
        signal: stops.signal,
        onProgress: ({ label, done, result, index, count }) => {
          if (!done || !result) return;
          const what = result.skipped !== undefined ? `skipped (${result.skipped})` : `median ${secondsText(result.p50)} s over ${result.samples} run${result.samples === 1 ? "" : "s"}`;
          say(`[${index + 1}/${count}] ${label}: ${what}`);
        },
      });
    } catch (error) {
      if (!(error instanceof LossMismatch)) throw error;
      say(`${error.message}: not timed; this build computes something other than numpy's program here`);
      return FAILED;
    }
    const early = stops.first();
    if (early !== undefined) return early.code;
    const title = `The seed run (N=64, D_in=1000, H=100, D_out=10, ${iterationsText(iterations)}), timed by tinybench on ${machineLine(machine)}`;
    await writeStdout(`${title}:\n\n${seedRunTable(runs)}\n`);
    const failure = stdoutFailure();
    if (failure !== undefined) {
      const stop = stdoutStop(failure);
      if (stop.code === FAILED) say(stop.cause);
      return stop.code;
    }
    const written = await writeOutputs(targets, () => [jsonDocument(machine, iterations, timing, runs)]);
    return written.failed ? FAILED : (stops.first()?.code ?? 0);
  } finally {
    stops.finish();
  }
}
