/**
 * The linear-scale y axis: 5% margins, at most ~9 ticks at a step of 1, 2 or 5 × 10^e, labelled as
 * plain decimals for magnitudes 0.001 … 999999 and otherwise as mantissas with a shared ×10^E above
 * the axes, as matplotlib's ScalarFormatter does. Every step and label is made from its decimal
 * digits, so no label reads 2.4999999 or 9.000000001.
 */
import { TICK_FS } from "./style.js";
import { minus, type Label } from "./text.js";
import type { Tick, YAxis } from "./ticks.js";

/** Linear axis from the data range [dmin, dmax], drawn `plotH` px tall. */
export function linearAxis(dmin: number, dmax: number, plotH: number): YAxis {
  const center = dmin / 2 + dmax / 2;
  let half = dmax / 2 - dmin / 2;
  const minHalf = Math.max(Math.abs(center) * 1e-9, 1e-300);
  if (half === 0) half = center === 0 ? 1 : Math.abs(center) * 0.1;
  else half *= 1.1; // 5% margin at either end
  half = Math.max(half, minHalf);
  const lo = Math.max(-Number.MAX_VALUE, center - half);
  const hi = Math.min(Number.MAX_VALUE, center + half);
  const maxTicks = Math.max(2, Math.min(9, Math.floor(plotH / (TICK_FS * 2.5)) + 1));
  const { m, e, vals } = niceSteps(lo, hi, maxTicks);

  // labels: plain decimals for magnitudes 0.001 … 999999, otherwise mantissas with a shared ×10^E
  let maxAbs = 0;
  for (const v of vals) maxAbs = Math.max(maxAbs, Math.abs(v));
  const E = maxAbs > 0 ? Math.floor(Math.log10(maxAbs) + 1e-9) : 0;
  let multiplier: Label | undefined;
  let labels: string[];
  if (E >= -3 && E <= 5) labels = vals.map((v) => minus(fixed(v, Math.max(0, -e))));
  else {
    const d = Math.max(0, E - e);
    labels = vals.map((v) => minus(fixed(mantissaOf(v, m, e, E), d)));
    multiplier = { base: "×10", sup: minus(String(E)) };
  }
  const ticks: Tick[] = vals.map((v, i) => ({ pos: v, value: numberString(v), label: { base: labels[i] } }));
  return { lo, hi, ticks, minor: [], multiplier };
}

/** The smallest step m·10^e (m in 1, 2, 5) giving at most maxTicks ticks on [lo, hi], and the tick values. */
function niceSteps(lo: number, hi: number, maxTicks: number): { m: number; e: number; vals: number[] } {
  const h = hi / 2 - lo / 2;
  let m = 1;
  let e = Math.floor(Math.log10(h / maxTicks)) - 1;
  let ks: number[] = [];
  search: for (let i = 0; i < 12; i++, e++) {
    for (const mm of [1, 2, 5]) {
      const step = scaled(mm, e);
      if (!(step > 0) || !Number.isFinite(step)) continue;
      const k0 = Math.ceil(lo / step);
      const k1 = Math.floor(hi / step);
      if (k1 - k0 + 1 <= maxTicks) {
        m = mm;
        ks = [];
        for (let k = k0; k <= k1; k++) ks.push(k);
        break search;
      }
    }
  }
  const vals = ks.map((k) => scaled(k * m, e)).filter((v) => Number.isFinite(v) && v >= lo && v <= hi);
  return { m, e, vals };
}

/** v / 10^E computed from its integer multiple so that it stays exact-ish (no 2.4999999 labels). */
function mantissaOf(v: number, m: number, e: number, E: number): number {
  // v = k·m·10^e  =>  v / 10^E = k·m / 10^(E-e)
  const km = Math.round(v / scaled(m, e)) * m;
  const r = scaled(km, e - E);
  return Number.isFinite(r) ? r : v / 10 ** E;
}

/** a · 10^e for an integer a, as the double nearest to the decimal (no 2.4999999 or 9.000000001 noise). */
function scaled(a: number, e: number): number {
  const r = Number(`${a}e${e}`);
  if (r === r) return r;
  return e >= 0 ? a * 10 ** e : a / 10 ** -e;
}

/** v with `decimals` digits after the point, never "-0" or "NaN". */
function fixed(v: number, decimals: number): string {
  if (!Number.isFinite(v)) return "0";
  const s = v.toFixed(Math.min(100, decimals));
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** v as a string Number() reads back ("0" for -0 and for non-finite values). */
function numberString(v: number): string {
  return Number.isFinite(v) ? String(v === 0 ? 0 : v) : "0";
}
