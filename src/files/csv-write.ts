import { TwoLayerError } from "../errors.js";
import { pythonFloat } from "../format.js";
import { checkArray } from "./check-array.js";
import type { NdArray } from "./types.js";

// Each value in Python's float format, so readCsv (or np.loadtxt, or float()) reads back the same
// bits. A float64 is Python's repr of it; a float32 is the shortest decimal that reads back to the
// same float32 (the digits numpy prints for an np.float32: "0.1", not float64's
// "0.10000000149011612"), laid out as Python's repr lays out a float ("16777216.0", "1e-05").

/** The shortest decimal that rounds to the float32 `x`, in Python's float layout ("0.1", "16777216.0", "1e-05"). */
export function pythonFloat32(x: number): string {
  if (!Number.isFinite(x) || x === 0) return pythonFloat(x);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(x.toPrecision(digits));
    // The double nearest a decimal of at most 9 digits prints as those digits (repr is shortest).
    if (Math.fround(candidate) === x) return pythonFloat(evenOnTie(x, digits, candidate));
  }
  return pythonFloat(x); // not reached: 9 significant digits always identify a float32
}

// toPrecision rounds a tie away from zero; numpy (and Python's repr) round it to the even digit.
// A float32's exact decimal expansion is at most 100 significant digits but for the tiniest
// subnormals, so toExponential(99) shows whether x lies exactly halfway.
function evenOnTie(x: number, digits: number, roundedAway: number): number {
  const [mantissa, exponent] = Math.abs(x).toExponential(99).split("e");
  const all = mantissa.replace(".", "");
  if (all[digits] !== "5" || !/^0*$/.test(all.slice(digits + 1)) || Number(all[digits - 1]) % 2 === 1) return roundedAway;
  const kept = all.slice(0, digits);
  const truncated = Number(`${x < 0 ? "-" : ""}${kept[0]}.${kept.slice(1)}e${exponent}`);
  return Math.fround(truncated) === x ? truncated : roundedAway;
}

/**
 * Writes a 1-D or 2-D array as CSV text: one row per line ("\n", with a final newline), values
 * separated by commas in Python's float format (`nan`, `inf` included); a 1-D array is one value per
 * line, as np.savetxt writes it. `columns`, when given, becomes a first line of names. A bad
 * argument throws a `TwoLayerError` with code `INVALID_ARRAY`.
 */
export function writeCsv(array: NdArray, options: { columns?: string[] } = {}): string {
  const { data, shape } = checkArray(array, "array");
  if (shape.length !== 1 && shape.length !== 2) {
    throw new TwoLayerError("INVALID_ARRAY", `writeCsv writes 1-D or 2-D arrays; this one has shape [${shape.join(", ")}]`);
  }
  const width = shape.length === 2 ? shape[1] : 1;
  const rows = shape[0];
  if (width === 0 && rows > 0) throw new TwoLayerError("INVALID_ARRAY", "writeCsv: rows of zero columns cannot be told from blank lines");
  const format = data instanceof Float32Array ? pythonFloat32 : pythonFloat;
  const lines: string[] = [];
  const { columns } = options;
  if (columns !== undefined) {
    const ok = Array.isArray(columns) && columns.length === width && columns.every((c) => typeof c === "string" && !/[,\r\n]/.test(c));
    if (!ok) throw new TwoLayerError("INVALID_ARRAY", `writeCsv: columns must be ${width} strings without commas or line breaks`);
    lines.push(columns.join(","));
  }
  const row = new Array<string>(width);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) row[c] = format(data[r * width + c]);
    lines.push(row.join(","));
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
