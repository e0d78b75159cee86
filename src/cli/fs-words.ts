// A file-system error in a few words, for one-line messages.
import { getSystemErrorMap } from "node:util";

/** "permission denied (EACCES)", "no space left on device (ENOSPC)", … or the error's message. */
export function fsWords(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (typeof e?.errno === "number" && typeof e.code === "string") {
    const known = getSystemErrorMap().get(e.errno);
    if (known) return `${known[1]} (${e.code})`;
  }
  if (typeof e?.code === "string") return e.code;
  return error instanceof Error ? error.message : String(error);
}
