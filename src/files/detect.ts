import { describe, TwoLayerError } from "../errors.js";
import { readOptions } from "../validate.js";
import { fileBytes } from "./check-array.js";
import { firstBytes, invalidFile } from "./invalid.js";
import { readNpy } from "./npy-read.js";
import { readNpz } from "./npz.js";
import { isSafetensors, readSafetensors } from "./safetensors-read.js";
import type { NdArrays } from "./types.js";
import { isZip } from "./zip-directory.js";

// Which format a file is, from its first bytes alone (never from its name): ".npy" starts with
// "\x93NUMPY", ".npz" with a zip signature "PK\x03\x04" (or "PK\x05\x06", an empty archive), and a
// ".safetensors" file with an 8-byte little-endian header length, then '{' (and '"' or '}' when the
// length is 2^32 or more: a damaged length is then reported as one). CSV has no signature, so we do
// not guess it: readCsv reads it.

/** The name `readArrays` gives the one array of an .npy file: numpy's own name for an unnamed array (np.savez(f, x)). */
export const NPY_ARRAY_NAME = "arr_0";

/** The formats `readArrays` detects. */
export type ArrayFileFormat = "npy" | "npz" | "safetensors";

/** Which format `bytes` is by content, or undefined when it is none of .npy, .npz, .safetensors. */
export function detectFormat(bytes: Uint8Array): ArrayFileFormat | undefined {
  // The magic's first byte is enough to decide: readNpy then says what else is wrong (truncated magic, version).
  if (bytes.length > 0 && bytes[0] === 0x93) return "npy";
  if (isZip(bytes)) return "npz";
  if (isSafetensors(bytes)) return "safetensors";
  return undefined;
}

/**
 * Reads an .npy, .npz or .safetensors file, detected by content, into `{ name: { data, shape } }`
 * (row-major; Float64Array for float64, integer and bool data, Float32Array for float32). A single
 * .npy's array is named "arr_0". `options.name` (a file name) prefixes error messages. Anything
 * malformed or unsupported rejects with a `TwoLayerError` with code `INVALID_FILE` naming the part
 * of the file and the problem; CSV is read by `readCsv`, not here.
 */
export async function readArrays(bytes: Uint8Array | ArrayBuffer, options: { name?: string } = {}): Promise<NdArrays> {
  const { name } = readOptions(options, "readArrays", ["name"]);
  if (name !== undefined && typeof name !== "string") throw new TwoLayerError("INVALID_OPTION", `readArrays: name must be a string (a file name), got ${describe(name)}`);
  const file = fileBytes(bytes, "readArrays");
  try {
    const format = detectFormat(file);
    if (format === "npy") return { [NPY_ARRAY_NAME]: readNpy(file) };
    if (format === "npz") return readNpz(file);
    if (format === "safetensors") return readSafetensors(file);
    const text = file.length > 0 && file.subarray(0, 64).every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
    throw invalidFile(
      "file",
      `is not an .npy, .npz or .safetensors file: it starts with ${firstBytes(file)}` + (text ? " (text: for CSV use readCsv)" : ""),
    );
  } catch (error) {
    if (name === undefined || !(error instanceof TwoLayerError) || error.code !== "INVALID_FILE") throw error;
    throw new TwoLayerError("INVALID_FILE", `${name}: ${error.message}`, { cause: error });
  }
}
