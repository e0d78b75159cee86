/**
 * What an axis is made of (its limits, labelled ticks, minor ticks and an optional shared ×10ᴱ), and
 * the x axis' ticks: non-negative integers (the iteration numbers) at 1, 2, 5 × 10^k steps. The y
 * axes are built in log-axis.ts and linear-axis.ts.
 */
import { CHAR_W, TICK_FS } from "./style.js";
import type { Label } from "./text.js";

/** One tick of an axis. */
export interface Tick {
  /** Position along the axis in the axis' own coordinate (log10 of the value on a log axis). */
  pos: number;
  /** The value, as a string a JavaScript Number() reads back (kept for tests and tooling). */
  value: string;
  /** Unlabelled ticks are drawn short, as minor ticks. */
  label?: Label;
}

/** A y axis, ready to draw. */
export interface YAxis {
  /** Lower limit, in axis coordinates (log10 on a log axis). */
  lo: number;
  /** Upper limit, in axis coordinates. */
  hi: number;
  ticks: Tick[];
  /** Positions of unlabelled minor ticks. */
  minor: number[];
  /** Linear axes with large or tiny values: labels are mantissas and this is the shared "×10ᴱ". */
  multiplier?: Label;
}

/** Integer ticks (t >= 0) at steps of 1, 2, 5 × 10^k whose labels do not collide, on [lo, hi] drawn `plotW` px wide. */
export function integerTicks(lo: number, hi: number, plotW: number): Tick[] {
  for (let e = 0; e < 20; e++) {
    for (const m of [1, 2, 5]) {
      const step = m * 10 ** e;
      const k0 = Math.max(0, Math.ceil(lo / step));
      const k1 = Math.floor(hi / step);
      if (k1 < k0) return [];
      const spacing = (step / (hi - lo)) * plotW;
      const widest = String(k1 * step).length * CHAR_W * TICK_FS;
      if (spacing >= Math.max(widest + 24, 80) && k1 - k0 + 1 <= 9) {
        const out: Tick[] = [];
        for (let k = k0; k <= k1; k++) out.push({ pos: k * step, value: String(k * step), label: { base: String(k * step) } });
        return out;
      }
    }
  }
  return [];
}
