import { invalidOption } from "./validate.js";

/**
 * Formats a double as Python's repr does (and so as the numpy program prints its losses): the
 * shortest digits that read back to the same double, in scientific notation when the exponent is
 * below −4 or at least 16 ("6.947019049596736e-05", "1e+16"), with ".0" on integral values ("2.0"),
 * and "nan", "inf", "-inf".
 */
export function pythonFloat(x: number): string {
  if (typeof x !== "number") throw invalidOption("pythonFloat's argument", "a number", x);
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  // toExponential() without an argument gives the shortest round-trip digits, as repr's.
  const [mantissa, exp] = x.toExponential().split("e");
  const exponent = Number(exp);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  if (exponent < -4 || exponent >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${body}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction || "0"}`;
}
