/**
 * What the plot is given, made safe: sizes clamped to a sane range, any array-like read as doubles
 * (junk becomes NaN, a throwing or absurd input becomes no data), and each value's axis coordinate
 * (NaN where it cannot be drawn). lossPlotSvg never throws, so nothing here does either.
 */

/** A size option in px: `dflt` unless a finite number, then rounded and clamped to [min, 100000]. */
export function sizeOption(v: unknown, dflt: number, min: number): number {
  if (typeof v !== "number" || !Number.isFinite(v)) return dflt;
  return Math.max(min, Math.min(100000, Math.round(v)));
}

/** The losses as doubles: non-numbers become NaN; null, a bad length or a throwing getter give none. */
export function readValues(losses: ArrayLike<number>): Float64Array {
  try {
    if (losses === null || losses === undefined) return new Float64Array(0);
    const len = Number((losses as { length?: unknown }).length);
    if (!Number.isFinite(len) || len <= 0) return new Float64Array(0);
    const n = Math.min(Math.floor(len), 0x7fffffff);
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = (losses as ArrayLike<unknown>)[i];
      a[i] = typeof v === "number" ? v : NaN;
    }
    return a;
  } catch {
    return new Float64Array(0);
  }
}

/** Each value's axis coordinate, and the range of the drawable ones (dmin > dmax when there are none). */
export interface AxisCoords {
  /** log10(v) on a log axis, v on a linear one; NaN for NaN, ±Infinity and (on a log axis) v <= 0. */
  coord: Float64Array;
  dmin: number;
  dmax: number;
}

/** The axis coordinates of `values` on a log (`log`) or linear axis. */
export function axisCoords(values: Float64Array, log: boolean): AxisCoords {
  const n = values.length;
  const coord = new Float64Array(n);
  let dmin = Infinity;
  let dmax = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    let c = NaN;
    if (Number.isFinite(v) && (!log || v > 0)) c = log ? Math.log10(v) : v;
    coord[i] = c;
    if (c === c) {
      if (c < dmin) dmin = c;
      if (c > dmax) dmax = c;
    }
  }
  return { coord, dmin, dmax };
}
