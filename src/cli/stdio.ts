// stdout and stderr as the command line uses them. A stdout that fails (its reader went away, as
// with `| head -1`, or its disk is full, as with `> /dev/full`) is noticed once, said to whoever
// listens, and never written again; node would otherwise throw the stream's 'error' event as an
// uncaught exception with a stack trace. A stderr that fails is ignored: there is nowhere left to
// say anything.
import { escapeUnsafe } from "./usage.js";

let failure: NodeJS.ErrnoException | undefined;
const listeners: ((error: NodeJS.ErrnoException) => void)[] = [];

function failed(error: NodeJS.ErrnoException): void {
  if (failure !== undefined) return;
  failure = error;
  for (const listener of listeners) listener(error);
}

/** Installs the handlers above; call once, first. */
export function watchStdio(): void {
  process.stdout.on("error", failed);
  process.stderr.on("error", () => {});
}

/** Why stdout failed, if it did. */
export function stdoutFailure(): NodeJS.ErrnoException | undefined {
  return failure;
}

/** Calls `listener` when stdout fails (at most once). */
export function onStdoutFailure(listener: (error: NodeJS.ErrnoException) => void): void {
  listeners.push(listener);
}

/** Writes to stdout unless it failed; resolves once the text is written or stdout has failed. */
export function writeStdout(text: string): Promise<void> {
  if (failure !== undefined) return Promise.resolve();
  return new Promise((resolve) => {
    process.stdout.write(text, (error) => {
      if (error) failed(error);
      resolve();
    });
  });
}

/**
 * Writes one line to stderr (lost, silently, if stderr is gone). Every message passes here, so here
 * we make sure it is one line: a control character that reached it unquoted (a name inside a file,
 * in a library message) is written as its escape.
 */
export function say(line: string): void {
  process.stderr.write(`twolayer: ${escapeUnsafe(line)}\n`);
}

/** Whether a stdout failure means its reader went away (a closed pipe), rather than an I/O error. */
export function readerGone(error: NodeJS.ErrnoException): boolean {
  return error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED";
}
