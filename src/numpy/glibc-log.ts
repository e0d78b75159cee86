/**
 * Natural log bit-identical to glibc's (2.28+) x86-64 FMA variant of `log`, the function numpy's
 * legacy_gauss and CPython's math.log call, in plain double arithmetic. It follows glibc's
 * sysdeps/ieee754/dbl-64/e_log.c (from ARM's optimized-routines math/log.c) step by step, with its
 * constants in glibc-log-data.ts and each fused multiply-add emulated exactly (exact-fma.ts).
 * JavaScript's `Math.log` is a different function and differs between engines; this one gives the
 * same bits in all of them.
 */
import { fromWords, highWord, lowWord } from "./double-bits.js";
import { fma } from "./exact-fma.js";
import {
  A0, A1, A2, A3, A4, B0, B1, B2, B3, B4, B5, B6, B7, B8, B9, B10,
  LN2HI, LN2LO, LOG_N, LOG_TABLE_BITS, TAB_INVC, TAB_LOGC,
} from "./glibc-log-data.js";

/** High words of asuint64(1.0 - 0x1p-4) and asuint64(1.0 + 0x1.09p-4); both low words are 0. */
const NEAR1_LO_HI = 0x3fee0000;
const NEAR1_HI_HI = 0x3ff10900;
/** High word of OFF = 0x3fe6000000000000 (low word 0). */
const OFF_HI = 0x3fe60000;
const TWO_POW_27 = 134217728;
const TWO_POW_52 = 4503599627370496;

/*
 * Which a*b + c are fused. glibc builds its x86-64 FMA variant of log with -mfma -mavx2, and GCC
 * (-ffp-contract=fast, its default for C) contracts every multiplication whose result is only added
 * or subtracted. Written out below as fma(); checked against python3's math.log (same glibc
 * function) on ~20 million inputs with zero mismatches. Computing one of these unfused made results
 * differ from glibc's (so they are fused for certain): the explicit r = fma(z, invc, -1.0);
 * r2*A[0] + lo; B[1] + r*B[2]; r2*B[3] + (...); r3*(B[4] ...) + (...); y = r3*(...) + lo.
 * Unfusing any of the others changed no result in 20-40 million tries (their rounding difference
 * vanishes in the final sum), so they follow GCC's contraction rule; where a product is exact
 * (k*Ln2hi, r*2^27, rhi*rhi*B[0]) fusing cannot change anything and plain arithmetic is used.
 */

/** log(x) for x close to 1.0 (1 - 2^-4 <= x < 1 + 0x1.09p-4), as glibc's e_log.c. */
function logNear1(x: number): number {
  const r = x - 1.0;
  const r2 = r * r;
  const r3 = r * r2;
  // y = r3 * (B1 + r*B2 + r2*B3 + r3*(B4 + r*B5 + r2*B6 + r3*(B7 + r*B8 + r2*B9 + r3*B10)))
  const inner = fma(r3, B10, fma(r2, B9, fma(r, B8, B7)));
  const middle = fma(r3, inner, fma(r2, B6, fma(r, B5, B4)));
  const outer = fma(r3, middle, fma(r2, B3, fma(r, B2, B1)));
  // Worst-case error is around 0.507 ULP (glibc's comment).
  let w = r * TWO_POW_27;
  const rhi = r + w - w;
  const rlo = r - rhi;
  w = rhi * rhi * B0; // B0 == -0.5; exact, so GCC's fusing it into the next two lines changes nothing
  const hi = r + w;
  let lo = r - hi + w;
  lo = fma(B0 * rlo, rhi + r, lo); // lo += B0 * rlo * (rhi + r)
  let y = fma(r3, outer, lo); // y = r3 * (...); y += lo
  y += hi;
  return y;
}

/**
 * Natural log bit-identical to glibc's (2.28+) x86-64 FMA variant of `log` (which numpy and
 * CPython's math.log call), computed in plain double arithmetic. Follows glibc's
 * sysdeps/ieee754/dbl-64/e_log.c; special inputs give what glibc gives (log(0) = -Infinity,
 * log(negative) = NaN, log(Infinity) = Infinity, log(NaN) = NaN).
 */
export function glibcLog(x: number): number {
  let hiw = highWord(x);
  let low = lowWord(x);

  // as glibc: if (ix - LO < HI - LO) — x close to 1.0
  if (hiw >= NEAR1_LO_HI && hiw < NEAR1_HI_HI) {
    if (hiw === 0x3ff00000 && low === 0) return 0; // log(1) == +0
    return logNear1(x);
  }

  // as glibc: if (top - 0x0010 >= 0x7ff0 - 0x0010) — x < 0x1p-1022 or inf or nan
  const top = hiw >>> 16;
  if (top < 0x0010 || top >= 0x7ff0) {
    if ((hiw & 0x7fffffff) === 0 && low === 0) return -Infinity; // __math_divzero(1)
    if (x === Infinity) return x;
    if ((top & 0x8000) !== 0 || (top & 0x7ff0) === 0x7ff0) return NaN; // __math_invalid(x)
    // x is subnormal, normalize it: ix = asuint64(x * 0x1p52); ix -= 52ULL << 52
    const normal = x * TWO_POW_52;
    hiw = (highWord(normal) - (52 << 20)) >>> 0;
    low = lowWord(normal);
  }

  // as glibc: x = 2^k z; where z is in range [OFF, 2*OFF) and exact.
  const tmpHi = (hiw - OFF_HI) | 0; // tmp = ix - OFF (OFF's low word is 0)
  const i = (tmpHi >>> (52 - LOG_TABLE_BITS - 32)) % LOG_N; // (tmp >> 45) % N
  const k = tmpHi >> 20; // (int64_t) tmp >> 52, arithmetic shift
  const z = fromWords((hiw - (tmpHi & 0xfff00000)) >>> 0, low); // iz = ix - (tmp & 0xfff << 52)
  const invc = TAB_INVC[i];
  const logc = TAB_LOGC[i];

  // log(x) = log1p(z/c-1) + log(c) + k*Ln2; r ~= z/c - 1, |r| < 1/(2*N).
  const r = fma(z, invc, -1.0); // as glibc under __FP_FAST_FMA: r = __builtin_fma (z, invc, -1.0)
  const kd = k;

  // hi + lo = r + log(c) + k*Ln2.
  const w = kd * LN2HI + logc; // exact (glibc's table guarantees it), so fused or not is the same
  const hi = w + r;
  const lo = fma(kd, LN2LO, w - hi + r); // lo = w - hi + r + kd * Ln2lo

  // log(x) = lo + (log1p(r) - r) + hi.
  const r2 = r * r;
  // y = lo + r2*A[0] + r*r2*(A[1] + r*A[2] + r2*(A[3] + r*A[4])) + hi
  const p = fma(r2, fma(r, A4, A3), fma(r, A2, A1));
  const y = fma(r * r2, p, fma(r2, A0, lo)) + hi;
  return y;
}
