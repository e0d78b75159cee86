// The --help text, from the flag table.
import { FLAGS, JSON_FIELDS } from "./flags.js";

/** The --help text. */
export function helpText(): string {
  const rows = FLAGS.map((f) => [`--${f.name}${f.arg ? ` ${f.arg}` : ""}`, f.help]);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return `Usage: twolayer train [options]

Trains the two-layer ReLU network of PyTorch's "Learning PyTorch with Examples" (numpy warm-up) and
prints "t loss" for each iteration, as the numpy program does. Every default is the tutorial's.

Options:
${rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join("\n")}

Each option may be given once (--n 3 or --n=3); a repeated option is an error.
--json and --plot are checked before training (an unwritable path is exit 2 at once) and are
written whole or not at all. --json writes {${JSON_FIELDS.map((f) => `"${f}"`).join(", ")}};
a non-finite loss is null there. A one-line summary goes to stderr.
Ctrl-C, SIGTERM and SIGHUP stop training early and still write --json and --plot; a second signal
while they are written stops at once and leaves the unfinished ones unwritten. A closed stdout
(| head) stops training too, and the files are still written.
Exit codes: 0 done, 2 bad arguments, 3 the loss diverged (NaN or infinite: lower --lr),
130, 143, 129 stopped by SIGINT, SIGTERM, SIGHUP, 141 stdout was closed, 1 anything else
(an output file or stdout that could not be written; a broken install: reinstall).`;
}
