import { TwoLayerError } from "../errors.js";

// One way to say what is wrong with a file: the part of the file, then the problem and, where we
// know one, the fix.

/**
 * A `TwoLayerError` with code `INVALID_FILE`; `part` names where in the file the problem is
 * ("npy header", `npz member "w1.npy" data`, "safetensors header"), `problem` what is wrong.
 */
export function invalidFile(part: string, problem: string, cause?: unknown): TwoLayerError {
  return new TwoLayerError("INVALID_FILE", `${part}: ${problem}`, cause === undefined ? undefined : { cause });
}

/** The first bytes of a file as hex ("50 4b 03 04"), to show what a file starts with instead. */
export function firstBytes(bytes: Uint8Array, count = 8): string {
  const shown = Array.from(bytes.subarray(0, count), (b) => b.toString(16).padStart(2, "0")).join(" ");
  return bytes.length === 0 ? "nothing (the file is empty)" : shown + (bytes.length > count ? " …" : "");
}

/** Writes a count of bytes for messages: "1 byte", "96 bytes". */
export function bytesText(count: number): string {
  return count === 1 ? "1 byte" : `${count} bytes`;
}

/** A piece of a file quoted for a message, cut to `max` characters (an ellipsis marks the cut), so that a long field cannot make a long message. */
export function quoted(text: string, max = 40): string {
  const kept = cut(text, max);
  return JSON.stringify(kept) + (kept.length < text.length ? "…" : "");
}

/** `text` (already written for a message, as JSON for instance) cut to `max` characters, an ellipsis marking the cut. */
export function shortened(text: string, max = 60): string {
  const kept = cut(text, max);
  return kept.length < text.length ? `${kept}…` : text;
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, /[\ud800-\udbff]/.test(text[max - 1]) ? max - 1 : max); // not half a surrogate pair
}
