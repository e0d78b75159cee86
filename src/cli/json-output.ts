// The --json document, streamed: the same text as JSON.stringify of the JSON_FIELDS of a run (losses
// as an array, a non-finite loss as null), in chunks of at most LOSSES_PER_CHUNK losses. One string
// cannot hold it: V8 caps a string near 2^29 characters, and 10^8 losses take some 2 × 10^9.
import { JSON_FIELDS } from "./flags.js";

/** Losses per chunk: some 350 KB of text. */
export const LOSSES_PER_CHUNK = 16384;

/** What --json writes of a run: its JSON_FIELDS, losses as numbers. */
export type JsonRun = { readonly losses: ArrayLike<number> } & Readonly<Record<(typeof JSON_FIELDS)[number], unknown>>;

/**
 * The losses from `start` to `end` as JSON numbers joined by commas. JSON.stringify of a slice writes
 * them exactly as it would inside the whole document (a non-finite number as null), and faster than
 * a loop of String() here.
 */
function lossesText(losses: ArrayLike<number>, start: number, end: number): string {
  return JSON.stringify(Array.prototype.slice.call(losses, start, end)).slice(1, -1);
}

/** The JSON text of `run`, chunk by chunk, as `JSON.stringify(fields) + "\n"` would write it whole. */
export function* jsonChunks(run: JsonRun, lossesPerChunk = LOSSES_PER_CHUNK): Generator<string> {
  let separator = "{";
  for (const name of JSON_FIELDS) {
    if (name !== "losses") {
      const text = JSON.stringify(run[name]);
      if (text === undefined) continue; // as JSON.stringify leaves out an undefined field
      yield `${separator}${JSON.stringify(name)}:${text}`;
    } else {
      yield `${separator}"losses":[`;
      const { losses } = run;
      for (let start = 0; start < losses.length; start += lossesPerChunk) {
        yield (start > 0 ? "," : "") + lossesText(losses, start, Math.min(start + lossesPerChunk, losses.length));
      }
      yield "]";
    }
    separator = ",";
  }
  yield separator === "{" ? "{}\n" : "}\n";
}
