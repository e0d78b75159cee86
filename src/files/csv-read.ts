import { describe, TwoLayerError } from "../errors.js";
import { invalidFile, quoted } from "./invalid.js";
import { readOptions } from "../validate.js";
import { fileBytes } from "./check-array.js";

// CSV for data: numbers separated by commas, one row per line (LF or CRLF), every row as long as the
// first. We read the number forms Python's float() reads and prints ("1", "-2.5", "1e-05", ".5",
// "nan", "inf", "-inf", any case), with spaces around a field allowed; anything else — an empty
// field, hex, a quoted number — is an error naming its line and column. Blank lines and lines
// starting with '#' (np.savetxt writes its header= as "# …") are skipped, as np.loadtxt skips them.
//
// Column names: the first non-blank, non-comment line is taken as names when none of its fields is
// a number, and as data when all are; a line mixing the two is an error, because we cannot tell a
// header from a damaged first row. `header: true` or `false` decides instead. A file of names alone
// is refused (no rows). Only commas separate: a tab- or semicolon-separated file reads as lines of
// one field that is not a number, and we say so. (We do not guess the separator: a file that uses
// ';' usually writes "1,5" for 1.5, and an unguessed comma would silently read other numbers.)

// Each digit can be matched one way only ("[0-9]+\.?[0-9]*" could split "111" between its two runs,
// and backtracked through every split of a long field that is not a number: quadratic time).
const NUMBER = /^[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)$/i;

/** readCsv's advice on a first line that mixes names and numbers (the command line, which has no header option, swaps it for its own). */
export const HEADER_HINT = "(pass header: true or false)";

/** Options of `readCsv`. */
export interface CsvOptions {
  /** Whether the first line holds column names: `"auto"` (default; see `readCsv`), `true`, `false`. */
  header?: boolean | "auto";
}

/** What `readCsv` returns: the numbers row-major, shape [rows, columns], and the column names if any. */
export interface CsvTable {
  data: Float64Array;
  shape: [number, number];
  columns?: string[];
}

function parseNumber(field: string): number {
  const lower = field.toLowerCase().replace(/^\+/, "");
  if (lower === "nan" || lower === "-nan") return NaN;
  if (lower === "inf" || lower === "infinity") return Infinity;
  if (lower === "-inf" || lower === "-infinity") return -Infinity;
  return Number(field);
}

/** A field for a message: quoted and cut to 40 characters, or "an empty field". */
const shownField = (field: string) => (field === "" ? "an empty field" : quoted(field));

/** What to add when a line of one field holds a tab, a ';' or numbers between spaces: the file uses another separator. */
function separatorHint(fields: string[]): string {
  if (fields.length !== 1) return "";
  // np.savetxt(f, x) without delimiter= separates by spaces: a field of numbers between spaces.
  const spaced = /\s/.test(fields[0]) && fields[0].split(/\s+/).every((f) => NUMBER.test(f));
  const separator = fields[0].includes("\t") ? "tab" : fields[0].includes(";") ? "semicolon" : spaced ? "space" : undefined;
  if (separator === undefined) return "";
  return ` (the line looks ${separator}-separated, and we read only commas: save the file with commas, e.g. np.savetxt(f, x, delimiter=",") or df.to_csv(f, sep=",", index=False))`;
}

const unquote = (name: string) => (name.length >= 2 && name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name);

/**
 * Reads CSV text (or its UTF-8 bytes) of numbers into `{ data, shape: [rows, columns], columns? }`.
 * CSV is not detected by `readArrays` (any text could be CSV); call this for .csv files. A ragged
 * row, a field that is not a number, bad UTF-8 or a file with no rows (a line of column names alone
 * included) throws a `TwoLayerError` with code `INVALID_FILE` naming the line and column. Fields are
 * separated by commas only; a tab- or semicolon-separated file is refused with a message saying so.
 */
export function readCsv(input: string | Uint8Array | ArrayBuffer, options: CsvOptions = {}): CsvTable {
  const header = readOptions(options, "readCsv", ["header"]).header ?? "auto";
  if (header !== true && header !== false && header !== "auto") {
    throw new TwoLayerError("INVALID_OPTION", `readCsv: header must be true, false or "auto", got ${describe(header)}`);
  }
  let text: string;
  if (typeof input === "string") {
    text = input;
  } else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(fileBytes(input, "readCsv", "the file's text as a string, or its bytes as a Uint8Array or ArrayBuffer"));
    } catch (cause) {
      if ((cause as { code?: string }).code === "INVALID_ARRAY") throw cause;
      throw invalidFile("csv", "is not valid UTF-8 text", cause);
    }
  }
  if (text.startsWith("\ufeff")) text = text.slice(1); // a byte-order mark, as Excel writes
  const lines = text.split("\n");
  let columns: string[] | undefined;
  let width = -1;
  let widthLine = 0;
  let headerFields: string[] = [];
  const values: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith("\r") ? lines[i].slice(0, -1) : lines[i];
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const fields = line.split(",").map((f) => f.trim());
    const lineNo = i + 1;
    if (width < 0) {
      const numeric = fields.filter((f) => NUMBER.test(f)).length;
      const isHeader = header === "auto" ? numeric === 0 : header;
      if (header === "auto" && numeric !== 0 && numeric !== fields.length) {
        const bad = fields.findIndex((f) => !NUMBER.test(f));
        throw invalidFile(`csv line ${lineNo}, column ${bad + 1}`, `${shownField(fields[bad])} is not a number, yet other fields of the first line are: is it a header or data? ${HEADER_HINT}`);
      }
      width = fields.length;
      widthLine = lineNo;
      if (isHeader) {
        columns = fields.map(unquote);
        headerFields = fields;
        continue;
      }
    }
    if (fields.length !== width) {
      throw invalidFile(`csv line ${lineNo}`, `has ${fields.length === 1 ? "1 field" : `${fields.length} fields`} but line ${widthLine} has ${width}; every row needs the same number${separatorHint(fields)}`);
    }
    for (let c = 0; c < fields.length; c++) {
      if (!NUMBER.test(fields[c])) {
        throw invalidFile(`csv line ${lineNo}, column ${c + 1}`, `${shownField(fields[c])} is not a number${separatorHint(fields)}`);
      }
      values.push(parseNumber(fields[c]));
    }
  }
  if (width < 1) throw invalidFile("csv", "holds no rows, only blank lines or comments");
  if (values.length === 0) {
    throw invalidFile(`csv line ${widthLine}`, `is a line of column names, and no rows of numbers follow it; a table needs at least one row${separatorHint(headerFields)}`);
  }
  const rows = values.length / width;
  const table: CsvTable = { data: Float64Array.from(values), shape: [rows, width] };
  if (columns !== undefined) table.columns = columns;
  return table;
}
