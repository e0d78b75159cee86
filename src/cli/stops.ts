// What stops a run early: SIGINT (Ctrl-C), SIGTERM, SIGHUP, or a stdout that failed. The first stop
// aborts training (the library stops at its next iteration) and the run ends as usual: its lines,
// its files, its summary, and the stop's exit code (128 + the signal's number, as a shell reports a
// program a signal ended; 141 for a closed stdout, as for SIGPIPE). A signal after that — the user
// pressing Ctrl-C again while a large --json is written — ends the program at once: `abandon` removes
// what was half written (write-file.ts writes beside the target and renames, so a target is whole or
// untouched) and we exit with the first stop's code.
import { constants } from "node:os";
import { fsWords } from "./fs-words.js";
import { readerGone, say } from "./stdio.js";

/** The signals that stop training. */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Why a run stopped early and its exit code. */
export interface Stop {
  readonly code: number;
  /** The signal's name, or for a failed stdout what happened to it ("stdout was closed"). */
  readonly cause: string;
  readonly signal: boolean;
}

/** The exit code for a closed stdout: 128 + SIGPIPE, what a shell reports for a C program there. */
export const CLOSED_STDOUT_CODE = 128 + constants.signals.SIGPIPE;

function signalStop(name: NodeJS.Signals): Stop {
  return { code: 128 + constants.signals[name], cause: name, signal: true };
}

/** A stop for a failed stdout: 141 when its reader went away, 1 for an I/O error such as ENOSPC. */
export function stdoutStop(error: NodeJS.ErrnoException): Stop {
  if (readerGone(error)) return { code: CLOSED_STDOUT_CODE, cause: "stdout was closed", signal: false };
  return { code: 1, cause: `cannot write to stdout, ${fsWords(error)}`, signal: false };
}

/** "1 iteration", "500 iterations". */
export const iterationsText = (count: number) => (count === 1 ? "1 iteration" : `${count} iterations`);

/** The summary's sentence for a stop: "interrupted after 41 iterations", "stdout was closed; stopped after 3 iterations", … */
export function stopSentence(stop: Stop, aborted: boolean, iterations: number): string {
  const after = aborted ? ` after ${iterationsText(iterations)}` : " after training ended";
  if (!stop.signal) return aborted ? `${stop.cause}; stopped${after}` : stop.cause;
  return `${stop.cause === "SIGINT" ? "interrupted" : `stopped by ${stop.cause}`}${after}`;
}

export interface Stops {
  /** Aborted at the first stop; handed to train(). */
  readonly signal: AbortSignal;
  /** The first stop, if there was one. */
  first(): Stop | undefined;
  /** Records a stop that is not a signal (stdout). */
  stop(stop: Stop): void;
  /**
   * Marks the command finished: a signal from now on exits at once with the exit code set by then.
   * We keep the handlers rather than remove them: node may take a while to exit (closing files,
   * workers), and a second Ctrl-C in that time must not turn into a death by signal.
   */
  finish(): void;
}

/** Installs the signal handlers; `abandon` runs (synchronously) before a second signal exits. */
export function watchStops(abandon: () => void): Stops {
  const controller = new AbortController();
  let first: Stop | undefined;
  let finished = false;
  const stop = (next: Stop) => {
    if (first !== undefined) return;
    first = next;
    controller.abort();
  };
  const onSignal = (name: NodeJS.Signals) => {
    if (finished) process.exit(typeof process.exitCode === "number" ? process.exitCode : signalStop(name).code);
    if (first === undefined) return stop(signalStop(name));
    abandon();
    say(`${name} after ${first.cause}: stopping at once; an output file not yet written is left unwritten`);
    process.exit(first.code);
  };
  for (const name of STOP_SIGNALS) process.on(name, onSignal);
  return {
    signal: controller.signal,
    first: () => first,
    stop,
    finish: () => {
      finished = true;
    },
  };
}
