// A command-line mistake and how we show what the user typed (or a file holds) inside a one-line
// message.

/** A command-line mistake: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** How much of a typed text a message repeats; the rest is counted, not shown. */
export const SHOWN = 60;

/**
 * What may not reach a terminal raw: control characters (C0 but the tab, DEL, C1: a newline ends
 * the line, ESC and U+009B start terminal commands), the Unicode line and paragraph separators, and
 * the bidirectional controls that reorder what a line shows.
 */
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r" };

/** `text` with each unsafe character (above) written as its escape: `\n`, `\r`, `\u001b`, … */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * The user's text quoted for a one-line message: escaped as a JSON string, and every character
 * above escaped too (so a newline or a terminal escape cannot break the line), and cut short when
 * longer than `shown` characters (an argument may be 128 KiB).
 */
export function quote(text: string, shown = SHOWN): string {
  if (text.length <= shown) return escapeUnsafe(JSON.stringify(text));
  return `${escapeUnsafe(JSON.stringify(text.slice(0, shown)))}… (${text.length} characters)`;
}

/**
 * A name in a list in a message (the summary's "json out.json", the arrays a file holds): as typed
 * when it is plain (ASCII letters, digits and _ . / + -), else quoted. A path is shown whole by
 * default (one the file system took is short enough to show; cutting it would hide the file's own
 * name, at its end).
 */
export function shownName(name: string, shown = Infinity): string {
  return /^[\w./+-]+$/.test(name) && name.length <= shown ? name : quote(name, shown);
}
