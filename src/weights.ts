// A network's weights as files numpy and PyTorch read: saving w1 and w2 as an .npz (np.savez's
// layout) or a .safetensors file, and reading such a file back for `TwoLayerNet.create({ weights })`.
// The files themselves are read and written by src/files/; here we say what a weights file must hold.
import { describe, detachedError, TwoLayerError } from "./errors.js";
import { fileBytes } from "./files/check-array.js";
import { detectFormat } from "./files/detect.js";
import type { ElementType } from "./files/elements.js";
import { firstBytes, invalidFile, quoted } from "./files/invalid.js";
import { readNpzStored, writeNpz } from "./files/npz.js";
import { readSafetensorsStored } from "./files/safetensors-read.js";
import { writeSafetensors } from "./files/safetensors-write.js";
import type { NdArray } from "./files/types.js";
import { DTYPES, type DType, type FloatArray } from "./kernels.js";
import { isDetached } from "./realm.js";
import { oneOf } from "./validate.js";

/** The formats `net.saveWeights` writes and `create({ weights })` reads. */
export type WeightsFormat = "npz" | "safetensors";

/** What a weights file holds, checked: w1 (D_in×H) and w2 (H×D_out) as the file stores them. */
export interface WeightsFile {
  readonly format: WeightsFormat;
  readonly dIn: number;
  readonly hidden: number;
  readonly dOut: number;
  readonly w1: NdArray;
  readonly w2: NdArray;
}

const NAMES = ["w1", "w2"] as const;
const FLOAT_MAX = 3.4028234663852886e38;

/** Where an array sits in a file of `format`, as the readers name it in their messages. */
function partOf(format: WeightsFormat, name: string): string {
  return format === "npz" ? `weights: npz member ${JSON.stringify(`${name}.npy`)}` : `weights: safetensors tensor ${JSON.stringify(name)}`;
}

/** numpy's name of an element type ("int64", "bool"). */
function typeName({ kind, size }: ElementType): string {
  return kind === "b" ? "bool" : `${kind === "f" ? "float" : kind === "i" ? "int" : "uint"}${size * 8}`;
}

/**
 * Writes w1 (D_in×H) and w2 (H×D_out), row-major, exactly their bits, as an .npz (`format`
 * "npz", the default: np.savez's layout, `<f8` or `<f4`) or a .safetensors file (F64 or F32).
 * `format` is checked here (INVALID_OPTION).
 */
export function writeWeights(w1: FloatArray, w2: FloatArray, dIn: number, hidden: number, dOut: number, format: unknown): Uint8Array {
  const chosen = oneOf<WeightsFormat>("format", format, "npz", ["npz", "safetensors"]);
  const arrays = { w1: { data: w1, shape: [dIn, hidden] }, w2: { data: w2, shape: [hidden, dOut] } };
  return chosen === "npz" ? writeNpz(arrays) : writeSafetensors(arrays);
}

/**
 * Reads the `weights` option: the bytes of an .npz or .safetensors file (a Uint8Array or
 * ArrayBuffer), copied once and then read from the copy. It must hold exactly w1 and w2, each 2-D,
 * float64 or float32, their shapes chaining (D_in×H, H×D_out). A value that is not bytes is
 * INVALID_OPTION; anything wrong with the file is INVALID_FILE naming its part.
 */
export function readWeights(value: unknown): WeightsFile {
  if (isDetached(value)) throw detachedError("weights", "INVALID_OPTION");
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fileBytes(value, "weights")); // a copy: the caller's bytes are read once
  } catch {
    throw new TwoLayerError("INVALID_OPTION", `weights must be the bytes of an .npz or .safetensors file (a Uint8Array or ArrayBuffer), got ${describe(value)}`, {
      option: "weights",
      expected: "the bytes of an .npz or .safetensors file",
    });
  }
  const format = detectFormat(bytes);
  if (format !== "npz" && format !== "safetensors") {
    const what = format === "npy" ? "an .npy file, which holds one array" : `not an .npz or .safetensors file: it starts with ${firstBytes(bytes)}`;
    throw invalidFile("weights", `is ${what}; weights are w1 and w2 in one file, as np.savez("w.npz", w1=w1, w2=w2) or net.saveWeights() writes`);
  }
  let arrays: Record<string, { array: NdArray; stored: ElementType }>;
  try {
    arrays = format === "npz" ? readNpzStored(bytes) : readSafetensorsStored(bytes);
  } catch (error) {
    if (!(error instanceof TwoLayerError) || error.code !== "INVALID_FILE") throw error;
    throw new TwoLayerError("INVALID_FILE", `weights: ${error.message}`, { cause: error, option: "weights" });
  }
  const names = Object.keys(arrays);
  // A plain name as written, any other quoted (a name may hold ", ", a newline, anything).
  const held = names.length === 0 ? "no arrays" : names.map((n) => (/^[\w.-]{1,40}$/.test(n) ? n : quoted(n))).join(", ");
  for (const name of NAMES) {
    if (!Object.hasOwn(arrays, name)) {
      const torch = names.some((n) => n.endsWith(".weight")) ? "; from PyTorch, w1 is the first Linear's weight transposed (weight.T) and w2 the second's" : "";
      throw invalidFile(
        `weights: ${format}`,
        `has no array "${name}" (it holds ${held}); a weights file holds w1 (D_in×H) and w2 (H×D_out), as np.savez("w.npz", w1=w1, w2=w2) writes${torch}`,
      );
    }
  }
  const extra = names.filter((name) => name !== "w1" && name !== "w2");
  if (extra.length > 0) {
    throw invalidFile(`weights: ${format}`, `holds ${extra.map((n) => quoted(n)).join(", ")} besides w1 and w2; the network has w1 and w2 only (no biases): save just those two`);
  }
  for (const name of NAMES) checkStored(partOf(format, name), name, arrays[name]);
  const [w1, w2] = [arrays.w1.array, arrays.w2.array];
  const [dIn, hidden] = w1.shape;
  const [hidden2, dOut] = w2.shape;
  if (hidden !== hidden2) {
    throw invalidFile(
      `weights: ${format}`,
      `w1 is ${dIn}×${hidden} and w2 is ${hidden2}×${dOut}: w1's columns (H = ${hidden}) must equal w2's rows, so these are not one network's weights`,
    );
  }
  return { format, dIn, hidden, dOut, w1, w2 };
}

/** Each weight is a 2-D float array with no dimension of 0. */
function checkStored(part: string, name: string, { array, stored }: { array: NdArray; stored: ElementType }): void {
  const meaning = name === "w1" ? "(D_in, H)" : "(H, D_out)";
  if (stored.kind !== "f") {
    throw invalidFile(part, `holds ${typeName(stored)} values; weights are float64 or float32 (integers read as they are would be wrong for a quantized tensor): convert them, e.g. ${name}.astype(np.float64)`);
  }
  const { shape } = array;
  if (shape.length !== 2) {
    throw invalidFile(part, `${name} has shape (${shape.join(", ")}${shape.length === 1 ? "," : ""}) but must be 2-D, ${meaning}`);
  }
  if (shape[0] === 0 || shape[1] === 0) throw invalidFile(part, `${name} has shape (${shape.join(", ")}); each size must be at least 1`);
}

/**
 * The file's w1 and w2 in the network's dtype: float32 into an f64 network exactly, float64 into an
 * f32 network rounded to nearest, ties to even, as numpy's astype(np.float32). A NaN or ±Infinity is
 * refused unless `allowNonFinite`; a float64 beyond float32's range is refused for an f32 network
 * (astype would make it ±inf), both as INVALID_FILE naming the element.
 */
export function weightsIn(file: WeightsFile, dtype: DType, allowNonFinite: boolean): { w1: FloatArray; w2: FloatArray } {
  const convert = (name: "w1" | "w2"): FloatArray => {
    const { data, shape } = file[name];
    const out = new DTYPES[dtype].Array(data.length);
    out.set(data);
    const cols = shape[1];
    for (let i = 0; i < out.length; i++) {
      if (Number.isFinite(out[i])) continue;
      const at = `${name}[${Math.floor(i / cols)}, ${i % cols}]`;
      if (Number.isFinite(data[i])) {
        throw invalidFile(partOf(file.format, name), `${at} is ${data[i]}, beyond float32's range (±${FLOAT_MAX}) of dtype "f32"; use dtype "f64"`);
      }
      if (!allowNonFinite) throw invalidFile(partOf(file.format, name), `${at} is ${data[i]}; pass allowNonFinite: true to load non-finite weights anyway`);
    }
    return out;
  };
  return { w1: convert("w1"), w2: convert("w2") };
}
