import { Inflate } from "fflate";
import { TwoLayerError } from "../errors.js";
import { bytesText, invalidFile } from "./invalid.js";

// fflate's inflateSync does not stop at the size it is given: it runs the whole stream, dropping what
// passes the end of its buffer. A member that declares 288 bytes (with the CRC-32 of those 288) but
// whose stream inflates to 3 GiB was read for a minute and then accepted. So we inflate with fflate's
// streaming Inflate, a few kilobytes of input at a time, and stop as soon as the output passes the
// declared size. Deflate expands at most 1032:1, so one push yields at most about 17 MB (its input
// and a stored block of at most 64 KiB left from the push before) before we look.
//
// The streaming Inflate tells us no end of stream, and after the end it keeps each push's input (each
// push copies all it kept: trailing bytes would cost time quadratic in their length). So we end the
// stream ourselves (a push with `final`) once the declared size is reached, once QUIET bytes have
// yielded nothing (no block needs that much input before its first byte), or at the last input.
// After a final push, whatever input is left is ignored, as Python's zipfile ignores it; a stream
// that has not ended by then is refused.

const CHUNK = 16 * 1024;
const QUIET = 128 * 1024;
const FIRST_OUTPUT = 1 << 20;

function allocate(bytes: number, part: string): Uint8Array {
  try {
    return new Uint8Array(bytes);
  } catch (cause) {
    throw invalidFile(part, `inflates to ${bytesText(bytes)} or more, more than this engine can allocate`, cause);
  }
}

/**
 * Inflates the raw deflate stream `compressed` into exactly `size` bytes; `part` names the member in
 * errors: damaged deflate data, a stream that yields more than `size` bytes (refused as soon as it
 * does) or fewer, or one that goes on past them.
 */
export function inflateExactly(compressed: Uint8Array, size: number, part: string): Uint8Array {
  // The output grows with what the stream yields, so that a declared size the stream does not reach
  // costs nothing.
  let out = allocate(Math.min(size, FIRST_OUTPUT), part);
  let length = 0;
  let end = 0; // the input pushed so far, this push included
  const inflater = new Inflate((chunk) => {
    if (chunk.length > size - length) {
      throw invalidFile(
        part,
        `inflates past the ${bytesText(size)} its directory entry declares: to ${bytesText(length + chunk.length)} from the first ` +
          `${bytesText(end)} of its ${bytesText(compressed.length)} of deflate data (the archive is damaged or forged)`,
      );
    }
    if (length + chunk.length > out.length) {
      const grown = allocate(Math.min(size, Math.max(2 * out.length, length + chunk.length)), part);
      grown.set(out.subarray(0, length));
      out = grown;
    }
    out.set(chunk, length);
    length += chunk.length;
  });
  let quiet = 0;
  for (let final = false; !final; ) {
    const start = end;
    end = Math.min(start + CHUNK, compressed.length);
    final = end === compressed.length || length === size || quiet >= QUIET;
    const before = length;
    try {
      inflater.push(compressed.subarray(start, end), final);
    } catch (error) {
      if (error instanceof TwoLayerError) throw error;
      const cut = (error as { code?: unknown })?.code === 0; // fflate's "unexpected EOF", which only a final push raises
      const why =
        !cut || end === compressed.length ? `cannot be inflated: ${(error as Error)?.message ?? String(error)} (the deflate data is damaged)`
        : length === size ? `its deflate stream goes on past the ${bytesText(size)} its directory entry declares (the archive is damaged)`
        : `its deflate stream yields nothing from ${bytesText(quiet)} and does not end (the deflate data is damaged)`;
      throw invalidFile(part, why, error);
    }
    quiet = length === before ? quiet + (end - start) : 0;
  }
  if (length !== size) {
    throw invalidFile(part, `inflates to ${bytesText(length)}, but its directory entry declares ${bytesText(size)} (the deflate stream ends early: truncated or damaged)`);
  }
  return out;
}
