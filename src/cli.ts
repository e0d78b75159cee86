#!/usr/bin/env node
// The command line: `twolayer train [flags]` (see src/cli/flags.ts for every flag). Mistakes are one
// line on stderr and exit code 2; nothing here prints a stack trace unless TWOLAYER_DEBUG is set.
import { TwoLayerError } from "./errors.js";
import { parseArgs, UsageError, type Args } from "./cli/args.js";
import { helpText, inFlagWords } from "./cli/flags.js";
import { trainCommand } from "./cli/train-command.js";

/** The exit code for an error, after saying it in one line. */
function report(error: unknown, args: Args | undefined): number {
  if (error instanceof UsageError) {
    process.stderr.write(`twolayer: ${error.message}\n`);
    return 2;
  }
  if (error instanceof TwoLayerError) {
    process.stderr.write(`twolayer: ${inFlagWords(error, args?.given ?? new Map())}\n`);
    return 2;
  }
  if (error instanceof Error && "code" in error && typeof error.code === "string" && "path" in error) {
    process.stderr.write(`twolayer: cannot write ${String(error.path)}: ${error.code}\n`);
    return 1;
  }
  process.stderr.write(`twolayer: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env.TWOLAYER_DEBUG) console.error(error);
  return 1;
}

async function main(argv: string[]): Promise<number> {
  let args: Args | undefined;
  try {
    args = parseArgs(argv);
    if (args.command === "help") {
      process.stdout.write(helpText() + "\n");
      return 0;
    }
    return await trainCommand(args);
  } catch (error) {
    return report(error, args);
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
