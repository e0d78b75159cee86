// The --help text, from the flag table: every command, or the one asked about.
import { FLAGS, JSON_FIELDS, type Command } from "./flags.js";

function options(command: Command): string {
  const rows = FLAGS.filter((f) => f.commands.includes(command)).map((f) => [`--${f.name}${f.arg ? ` ${f.arg}` : ""}`, f.helpIn?.[command] ?? f.help]);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join("\n");
}

const TRAIN = () => `Usage: twolayer train [options]

Trains the two-layer ReLU network of PyTorch's "Learning PyTorch with Examples" (numpy warm-up) and
prints "t loss" for each iteration, as the numpy program does. Every default is the tutorial's.

Options:
${options("train")}

Each option may be given once (--n 3 or --n=3); a repeated option is an error.
--data, or --x with --y, trains on your data (N, D_in, D_out from it; a size option that disagrees
is an error naming both); --weights starts from saved weights (H from them). Every file is read,
and every output path checked, before training starts.
--json, --plot and --save are checked before training (an unwritable path, or the file of an input
such as --y, is exit 2 at once; --save may be --weights' file, to train on in place) and are
written whole or not at all. --json writes {${JSON_FIELDS.map((f) => `"${f}"`).join(", ")}};
a non-finite loss is null there. A one-line summary goes to stderr.
Ctrl-C, SIGTERM and SIGHUP stop training early and still write --json, --plot and --save; a second
signal while they are written stops at once and leaves the unfinished ones unwritten. A closed stdout
(| head) stops training too, and the files are still written; the summary says
"stdout was closed; stopped after N iterations".
Exit codes: 0 done, 2 bad arguments or files, 3 the loss diverged (NaN or infinite: lower --lr),
130, 143, 129 stopped by SIGINT, SIGTERM, SIGHUP, 141 stdout was closed, 1 anything else
(an output file or stdout that could not be written; a broken install: reinstall).`;

const PREDICT = () => `Usage: twolayer predict --weights FILE --x FILE [--out FILE] [options]

Prints relu(x·w1)·w2 for each row of x, one row per line, values separated by spaces in Python's
float format (float32 values as numpy prints them), or writes them to --out (not --x's or --weights'
file).

Options:
${options("predict")}

Exit codes: 0 done, 2 bad arguments or files, 141 stdout was closed, 1 anything else.`;

const BENCH = () => `Usage: twolayer bench [--quick] [--json FILE] [options]

Times the tutorial's seed run (N=64, D_in=1000, H=100, D_out=10, 500 iterations) on this machine with
tinybench: wasm SIMD in float64 and float32, on 2 threads and with FMA where this runtime has them,
and the Gram form (--algorithm gram) in float64, against the plain-JavaScript "js" backend and a
row-streaming JavaScript loop, both float64. Every run is checked
against numpy's losses before it is timed. Prints the table (median, mean, p75, p99 and relative
margin of error of the run's time, samples, and how many times faster than the JavaScript runs)
with the CPU, cores and runtime; takes a minute or two.

Options:
${options("bench")}

Exit codes: 0 done, 2 bad arguments, 130, 143, 129 stopped by SIGINT, SIGTERM, SIGHUP (nothing
written), 1 anything else (a run that disagreed with numpy, an output file that could not be written).`;

/** The --help text: one command's, or every command's. */
export function helpText(command?: Command): string {
  if (command === "train") return TRAIN();
  if (command === "predict") return PREDICT();
  if (command === "bench") return BENCH();
  return `${TRAIN()}\n\n${PREDICT()}\n\n${BENCH()}\n\ntwolayer help COMMAND (or COMMAND --help) shows one command's help; twolayer --version (or -v) prints the version.`;
}
