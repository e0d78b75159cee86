// Writing an output file whole or not at all: the content streams (chunk by chunk, so a 10^8-loss
// --json never becomes one string) into a temporary file beside the target, which is renamed over
// the target once complete. A reader, a crash or a second Ctrl-C thus sees the old file or the new
// one, never half of one; `abandonWrites` (for that second Ctrl-C) removes the temporary files.
import { randomBytes } from "node:crypto";
import { createWriteStream, openSync, rmSync } from "node:fs";
import { chmod, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/** A checked output path (outputs.ts). */
export interface OutputTarget {
  /** The flag that names it, without dashes ("json"). */
  readonly flag: string;
  /** The path as typed. */
  readonly path: string;
  /** Where we write: the path with its directory's symbolic links resolved, or the existing file's. */
  readonly target: string;
  /** true: written beside and renamed over (a new or regular file); false: written in place (a device, a FIFO). */
  readonly replace: boolean;
  /** An existing file's permission bits, which the new file keeps. */
  readonly mode?: number;
  /** An existing file's device and inode ("66306:1234"): the same file under any name (outputs.ts). */
  readonly file?: string;
}

/** A name for a temporary file in `dir`, hidden, unique to this process and call. */
export function tempPath(dir: string): string {
  return join(dir, `.twolayer-${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
}

const inFlight = new Set<string>();

/** Removes the temporary files of writes under way (synchronously: a signal handler calls it). */
export function abandonWrites(): void {
  for (const path of inFlight) rmSync(path, { force: true });
  inFlight.clear();
}

type Chunks = Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/** Writes `chunks` to the target, whole or not at all (see above); rejects with the file system's error. */
export async function writeOutput(target: OutputTarget, chunks: Chunks): Promise<void> {
  const source = Readable.from(chunks, { objectMode: true, highWaterMark: 1 });
  if (!target.replace) return pipeline(source, createWriteStream(target.target));
  const temp = tempPath(dirname(target.target));
  // Created synchronously, so that the file exists exactly while it is in inFlight: a signal handler
  // (which runs between our tasks) can then never remove it before an asynchronous open creates it.
  const fd = openSync(temp, "wx");
  inFlight.add(temp);
  try {
    await pipeline(source, createWriteStream(temp, { fd }));
    if (target.mode !== undefined) await chmod(temp, target.mode);
    await rename(temp, target.target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    inFlight.delete(temp);
  }
}
