// How a numeric flag's text becomes a number. We read decimal text only (digits, a point, an
// exponent: what Number() and Python's float() both read the same way), and refuse the cases where
// the nearest double is not the number typed and would look right: an integer flag's
// "64.000000000000001" (which rounds to 64) or "9007199254740993" (beyond 2^53), a real flag's
// "1e-400" (which rounds to 0).
import { UsageError, quote } from "./usage.js";

/** What a numeric flag holds: an integer (sizes, seed, iterations) or any real (the learning rate). */
export type NumberKind = "integer" | "real";

const DECIMAL = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Whether the decimal text with these digits and exponent denotes an integer, exactly. */
function denotesInteger(whole: string, fraction: string, exponent: number): boolean {
  const digits = whole + fraction;
  const point = whole.length + exponent; // where the decimal point falls among the digits
  return !/[1-9]/.test(digits.slice(Math.max(0, Math.min(point, digits.length))));
}

/**
 * The number `text` means for a flag of this kind, or `text` itself when it is not a number we
 * read exactly (the library then refuses it in its own words, naming what the flag accepts). A
 * nonzero real too small for a double is a UsageError naming the flag.
 */
export function numberFromText(flagName: string, text: string, kind: NumberKind): number | string {
  const match = DECIMAL.exec(text);
  if (match === null) return text;
  const [, whole, fraction = "", exponent = "0"] = match;
  if (whole === "" && fraction === "") return text;
  const value = Number(text);
  if (kind === "integer") {
    return denotesInteger(whole, fraction, Number(exponent)) && Number.isSafeInteger(value) ? value : text;
  }
  if (value === 0 && /[1-9]/.test(whole + fraction)) {
    throw new UsageError(`--${flagName} ${quote(text)} is too small for a double (it would be 0); the smallest is 5e-324`);
  }
  return value;
}
