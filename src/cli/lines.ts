// The "t loss" lines on stdout, written in batches so that printing costs the training loop next to
// nothing; once stdout has failed (stdio.ts) lines are dropped.
import { stdoutFailure, writeStdout } from "./stdio.js";

/** How long lines wait before they are written, in milliseconds. */
const BATCH_MS = 100;

/** A batching line writer: `line` queues one line, `flush` writes the queue and resolves once written. */
export function lineWriter(): { line(text: string): void; flush(): Promise<void> } {
  let pending: string[] = [];
  let last = performance.now();
  let written: Promise<void> = Promise.resolve();
  const flush = () => {
    if (pending.length) written = writeStdout(pending.join("\n") + "\n");
    pending = [];
    last = performance.now();
    return written;
  };
  return {
    line(text) {
      if (stdoutFailure() !== undefined) return;
      pending.push(text);
      if (performance.now() - last > BATCH_MS) void flush();
    },
    flush,
  };
}
