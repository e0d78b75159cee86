/**
 * An exact fused multiply-add in plain double arithmetic: fma(a, b, c) = a*b + c with one rounding,
 * as the x86-64 `vfmadd` instructions glibc's `log` runs on. JavaScript has no fma, and IEEE
 * add/sub/mul are correctly rounded in every engine, so this gives the same bits everywhere.
 *
 * Boldo & Melquiond, "Emulation of FMA and correctly rounded sums: proved algorithms using rounding
 * to odd", IEEE Trans. Computers 57(4), 2008, Algorithm 5: with a*b = uh + ul exactly (Dekker) and
 * c + uh = th + tl exactly (Knuth's TwoSum), fma(a, b, c) = RN(th + RO(tl + ul)), where RO is
 * rounding to odd. Valid while nothing overflows or underflows, which holds for every call in
 * glibcLog (all operands are far from 2^±1022).
 */
import { fromWords, highWord, lowWord } from "./double-bits.js";

/** Veltkamp's splitter for doubles: 2^27 + 1. */
const SPLITTER = 134217729;

/** Rounds the exact sum a + b to odd: RN(a + b) if exact, else the neighbour with an odd last bit. */
function addRoundToOdd(a: number, b: number): number {
  const s = a + b;
  // TwoSum: s + err == a + b exactly.
  const bv = s - a;
  const err = a - (s - bv) + (b - bv);
  if (err === 0) return s;
  let lo = lowWord(s);
  if ((lo & 1) === 1) return s; // already odd: RO(a + b) == s
  // s is even and inexact: the odd neighbour on err's side is one ulp away from s.
  const awayFromZero = err > 0 === s > 0;
  let hi = highWord(s);
  if (awayFromZero) {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  } else {
    if (lo === 0) hi = (hi - 1) >>> 0;
    lo = (lo - 1) >>> 0;
  }
  return fromWords(hi, lo);
}

/** fma(a, b, c): a*b + c rounded once to nearest-even, as the x86-64 `vfmadd` instructions do. */
export function fma(a: number, b: number, c: number): number {
  // Dekker's TwoProduct: uh + ul == a*b exactly.
  const uh = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const ul = ah * bh - uh + ah * bl + al * bh + al * bl;
  // TwoSum: th + tl == c + uh exactly.
  const th = c + uh;
  const bv = th - c;
  const tl = c - (th - bv) + (uh - bv);
  return th + addRoundToOdd(tl, ul);
}
