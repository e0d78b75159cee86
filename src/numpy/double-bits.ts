/**
 * The 64 bits of a double, read and written as two 32-bit words, and C's hexadecimal float literals
 * parsed exactly: what glibc's `log` (glibc-log.ts) and the exact fma (exact-fma.ts) need to work on
 * a double's bits the way their C sources do with `asuint64` / `asdouble`.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Index of the high (sign/exponent) 32-bit word of a double in `u32`: 1 on little-endian machines. */
const HI = (() => {
  f64[0] = 1; // 0x3ff00000_00000000
  return u32[1] === 0x3ff00000 ? 1 : 0;
})();
const LO = 1 - HI;

/** The high 32 bits of `x` (sign, exponent and the top 20 mantissa bits), as an unsigned integer. */
export function highWord(x: number): number {
  f64[0] = x;
  return u32[HI];
}

/** The low 32 bits of `x`'s mantissa, as an unsigned integer. */
export function lowWord(x: number): number {
  f64[0] = x;
  return u32[LO];
}

/** A double from its 64 bits given as high and low 32-bit words. */
export function fromWords(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0];
}

/** 2^e for -1022 <= e <= 1023, built from its bits (exact, unlike trusting Math.pow). */
function pow2(e: number): number {
  return fromWords((e + 1023) << 20, 0);
}

/** Parses a C hexadecimal float literal such as "-0x1.5555555555577p-2" exactly. */
export function hexFloat(literal: string): number {
  const m = /^(-?)0x([01])(?:\.([0-9a-f]*))?p([+-]?\d+)$/i.exec(literal);
  if (m === null) throw new Error(`bad hex float literal ${literal}`);
  const digits = m[3] ?? "";
  const mantissa = parseInt(m[2] + digits, 16); // <= 53 bits: exact
  const value = mantissa * pow2(Number(m[4]) - 4 * digits.length); // scaling by 2^n: exact
  return m[1] === "-" ? -value : value;
}
