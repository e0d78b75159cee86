// Every output path (the flags marked `output` in flags.ts) checked before training starts, so that
// an unwritable one is exit 2 at once rather than after minutes of training, and without leaving
// anything behind: we create (and at once remove) a temporary file where write-file.ts will create
// its own, which tests exactly what writing will need — ACLs, read-only mounts, root's powers and
// file systems such as /proc included — and we never create or truncate the target itself. An
// output may not be another output's file, nor an input's (we would read it, then write over it),
// under any name: "./x.npy", a symbolic link, a hard link.
import { accessSync, closeSync, constants, lstatSync, openSync, realpathSync, rmSync, statSync, type Stats } from "node:fs";
import { basename, dirname, extname, join, resolve, sep } from "node:path";
import type { Args } from "./args.js";
import { flag as flagNamed, FLAGS } from "./flags.js";
import { fsWords } from "./fs-words.js";
import { quote, UsageError } from "./usage.js";
import { tempPath, type OutputTarget } from "./write-file.js";

type Refuse = (why: string) => UsageError;

/** Creates and removes a temporary file in `dir`, or refuses. */
function probe(dir: string, refuse: Refuse): void {
  const path = tempPath(dir);
  try {
    closeSync(openSync(path, "wx"));
  } catch (error) {
    throw refuse(`cannot create files in ${quote(dir)}: ${fsWords(error)}`);
  }
  rmSync(path, { force: true });
}

/** A file's device and inode ("66306:1234"), following symbolic links; undefined where there is no file. */
function identity(path: string): string | undefined {
  try {
    const stats = statSync(path, { bigint: true, throwIfNoEntry: false });
    return stats === undefined ? undefined : `${stats.dev}:${stats.ino}`;
  } catch {
    // Not there to stat (a missing directory, no permission): no file we could overwrite.
    return undefined;
  }
}

function newFile(flag: string, path: string, refuse: Refuse): OutputTarget {
  const dir = dirname(resolve(path));
  let stats: Stats;
  try {
    stats = statSync(dir);
  } catch (error) {
    throw refuse((error as NodeJS.ErrnoException).code === "ENOENT" ? `the directory ${quote(dir)} does not exist` : fsWords(error));
  }
  if (!stats.isDirectory()) throw refuse(`${quote(dir)} is not a directory`);
  const real = realpathSync(dir);
  probe(real, refuse);
  return { flag, path, target: join(real, basename(resolve(path))), replace: true };
}

function existingFile(flag: string, path: string, stats: Stats, refuse: Refuse): OutputTarget {
  if (stats.isDirectory()) throw refuse("is a directory, not a file");
  const target = realpathSync(path);
  try {
    accessSync(target, constants.W_OK);
  } catch (error) {
    throw refuse(fsWords(error));
  }
  // A device or a FIFO (/dev/null, /dev/stdout) is written in place: it cannot be renamed over.
  if (!stats.isFile()) return { flag, path, target, replace: false };
  probe(dirname(target), refuse);
  return { flag, path, target, replace: true, mode: stats.mode & 0o7777, file: identity(target) };
}

/** Checks one output flag's path; returns where to write it, or throws a UsageError naming both. */
export function checkOutput(flag: string, path: string): OutputTarget {
  if (path === "") throw new UsageError(`--${flag} needs a file name`);
  const refuse: Refuse = (why) => new UsageError(`--${flag} ${quote(path)}: ${why}`);
  if (path.endsWith("/") || path.endsWith(sep)) throw refuse("names a directory, not a file");
  // A flag whose format comes from the name (--save, --out) refuses a name that says no format of its.
  const extensions = flagNamed(flag)?.extensions;
  if (extensions !== undefined && !extensions.includes(extname(path).toLowerCase())) {
    const list = extensions.length === 2 ? extensions.join(" or ") : `${extensions.slice(0, -1).join(", ")} or ${extensions.at(-1)}`;
    throw refuse(`the format comes from the extension, which must be ${list}`);
  }
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw refuse(fsWords(error));
    if (lstatSync(path, { throwIfNoEntry: false })) throw refuse("is a symbolic link to a missing file");
    return newFile(flag, path, refuse);
  }
  return existingFile(flag, path, stats, refuse);
}

/**
 * Whether two outputs written by renaming (a device is written in place, as often as asked) are one
 * file: one path once symbolic links are resolved, or one existing file under two names (a hard link).
 */
function sameFile(a: OutputTarget, b: OutputTarget): boolean {
  return a.replace && b.replace && (a.target === b.target || (a.file !== undefined && a.file === b.file));
}

/**
 * Checks every output flag given; two flags naming one file are refused, and so is an output that
 * is an input's file (but for the flag table's `mayReplace`: --save over --weights).
 */
export function checkOutputs(args: Args): OutputTarget[] {
  const targets = FLAGS.filter((f) => f.output && args.given.has(f.name)).map((f) => checkOutput(f.name, args.given.get(f.name)!));
  for (const [i, a] of targets.entries()) {
    const b = targets.slice(i + 1).find((other) => sameFile(a, other));
    if (b) throw new UsageError(`--${a.flag} and --${b.flag} name the same file ${quote(a.path)}: give each its own`);
  }
  // An input that is missing or unreadable is no file we could overwrite; inputs.ts says what is wrong with it.
  const inputs = FLAGS.filter((f) => f.input && args.given.has(f.name)).map((f) => ({ flag: f.name, path: args.given.get(f.name)!, file: identity(args.given.get(f.name)!) }));
  for (const target of targets) {
    if (!target.replace || target.file === undefined) continue;
    const input = inputs.find((i) => i.file === target.file && flagNamed(target.flag)?.mayReplace !== i.flag);
    if (input) {
      throw new UsageError(`--${target.flag} ${quote(target.path)} names the same file as --${input.flag} ${quote(input.path)}: writing it would overwrite that input; give --${target.flag} another file`);
    }
  }
  return targets;
}
