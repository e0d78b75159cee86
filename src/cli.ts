#!/usr/bin/env node
// The command line: `twolayer train`, `twolayer predict` and `twolayer bench` [flags] (see
// src/cli/flags.ts for every flag), and `twolayer --version`. Mistakes are one line on stderr and
// exit code 2; nothing here prints a stack trace unless TWOLAYER_DEBUG is set.
import { parseArgs, type Args } from "./cli/args.js";
import { benchCommand } from "./cli/bench-command.js";
import { helpText } from "./cli/help.js";
import { report } from "./cli/report.js";
import { say, stdoutFailure, watchStdio, writeStdout } from "./cli/stdio.js";
import { predictCommand } from "./cli/predict-command.js";
import { CLOSED_STDOUT_CODE, stdoutStop } from "./cli/stops.js";
import { trainCommand } from "./cli/train-command.js";
import { versionText } from "./cli/version.js";

async function main(argv: string[]): Promise<number> {
  let args: Args | undefined;
  try {
    args = parseArgs(argv);
    if (args.command === "help" || args.command === "version") {
      await writeStdout(`${args.command === "help" ? helpText(args.helpFor) : versionText()}\n`);
      const failure = stdoutFailure();
      if (failure === undefined) return 0;
      const stop = stdoutStop(failure);
      if (stop.code !== CLOSED_STDOUT_CODE) say(stop.cause);
      return stop.code;
    }
    if (args.command === "bench") return await benchCommand(args);
    return await (args.command === "predict" ? predictCommand(args) : trainCommand(args));
  } catch (error) {
    return report(error, args);
  }
}

watchStdio();
// The last resort: whatever escapes main is still one line and exit code 1, not a stack trace.
process.on("uncaughtException", (error) => {
  void report(error, undefined).then((code) => process.exit(code));
});
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
