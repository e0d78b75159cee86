// A command-line mistake and how we show what the user typed inside a one-line message.

/** A command-line mistake: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** How much of a typed text a message repeats; the rest is counted, not shown. */
const SHOWN = 60;

/**
 * The user's text quoted for a one-line message: escaped as a JSON string (so a newline or a
 * terminal escape cannot break the line) and cut short when long (an argument may be 128 KiB).
 */
export function quote(text: string): string {
  if (text.length <= SHOWN) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, SHOWN))}… (${text.length} characters)`;
}
