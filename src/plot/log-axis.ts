/**
 * The log-scale y axis (the default: a training loss falls over many orders of magnitude). Its
 * coordinate is log10 of the value. Over two or more decades it ticks at powers of ten, thinned so
 * that labels never crowd; within one decade it labels 1, 2, 5 × 10^k, as matplotlib's LogLocator.
 */
import { TICK_FS } from "./style.js";
import { minus, type Label } from "./text.js";
import type { Tick, YAxis } from "./ticks.js";

/** log10 of the largest and the smallest positive double: the axis never reaches past them. */
const MAX_LOG10 = Math.log10(Number.MAX_VALUE); // 308.25...
const MIN_LOG10 = Math.log10(Number.MIN_VALUE); // -323.3...

/** Log axis from data log10 range [dmin, dmax], drawn `plotH` px tall. */
export function logAxis(dmin: number, dmax: number, plotH: number): YAxis {
  const { lo, hi } = logLimits(dmin, dmax);
  const kLo = Math.ceil(lo - 1e-9);
  const kHi = Math.floor(hi + 1e-9);
  if (kHi - kLo + 1 >= 2) return { lo, hi, ...decadeTicks(lo, hi, kLo, kHi, plotH / (hi - lo)) };
  return { lo, hi, ...subDecadeTicks(lo, hi) };
}

/** The axis limits: 5% margins, at least one decade, within the range of positive doubles. */
function logLimits(dmin: number, dmax: number): { lo: number; hi: number } {
  let lo: number;
  let hi: number;
  if (dmax - dmin < 1) {
    // less than a decade (or constant): show one decade around the data
    const c = (dmin + dmax) / 2;
    lo = c - 0.5;
    hi = c + 0.5;
  } else {
    const m = 0.05 * (dmax - dmin);
    lo = dmin - m;
    hi = dmax + m;
  }
  if (lo < MIN_LOG10) {
    hi += MIN_LOG10 - lo;
    lo = MIN_LOG10;
  }
  if (hi > MAX_LOG10) {
    lo = Math.max(MIN_LOG10, lo - (hi - MAX_LOG10));
    hi = MAX_LOG10;
  }
  return { lo, hi };
}

/** Two or more powers of ten kLo … kHi in view: label every s-th decade so that labels never crowd. */
function decadeTicks(lo: number, hi: number, kLo: number, kHi: number, pxPerDecade: number): { ticks: Tick[]; minor: number[] } {
  const minSpacing = TICK_FS * 1.9; // px between labelled ticks
  const ticks: Tick[] = [];
  const minor: number[] = [];
  const strides = [1, 2, 3, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000];
  let s = strides[strides.length - 1];
  for (const c of strides) {
    if (c * pxPerDecade >= minSpacing) {
      s = c;
      break;
    }
  }
  for (let k = kLo; k <= kHi; k++) {
    if (k % s === 0) ticks.push({ pos: k, value: `1e${k}`, label: { base: "10", sup: minus(String(k)) } });
    else if (pxPerDecade >= 3) minor.push(k);
  }
  if (s === 1 && pxPerDecade >= 30) {
    for (let k = kLo - 1; k <= kHi; k++) {
      for (let m = 2; m <= 9; m++) {
        const p = k + Math.log10(m);
        if (p >= lo && p <= hi) minor.push(p);
      }
    }
  }
  return { ticks, minor };
}

/** At most one power of ten in view: label 1, 2, 5 × 10^k, minor ticks at the other mantissas. */
function subDecadeTicks(lo: number, hi: number): { ticks: Tick[]; minor: number[] } {
  const ticks: Tick[] = [];
  const minor: number[] = [];
  for (let k = Math.floor(lo) - 1; k <= Math.ceil(hi); k++) {
    for (let m = 1; m <= 9; m++) {
      const p = k + Math.log10(m);
      if (p < lo - 1e-9 || p > hi + 1e-9) continue;
      if (m === 1 || m === 2 || m === 5) ticks.push({ pos: p, value: `${m}e${k}`, label: mantissaLabel(m, k) });
      else minor.push(p);
    }
  }
  return { ticks, minor };
}

/** The label of m × 10^k: a plain decimal for 0.001 … 90000, otherwise "10^k" or "m×10^k". */
function mantissaLabel(m: number, k: number): Label {
  if (k >= -3 && k <= 4) {
    const s = k >= 0 ? String(m * 10 ** k) : (m / 10 ** -k).toFixed(-k);
    return { base: s };
  }
  return m === 1 ? { base: "10", sup: minus(String(k)) } : { base: `${m}×10`, sup: minus(String(k)) };
}
