/**
 * The loss line: screen points of the drawable values, gathered into runs that break where a value
 * cannot be drawn, and their SVG (a polyline per run, a dot for a run of one point). Long series are
 * decimated per pixel column, keeping each column's min and max so spikes stay visible.
 */
import type { Scale } from "./frame.js";
import { LINE_COLOR } from "./style.js";
import { px } from "./text.js";

/**
 * Screen points of the drawable values, as runs of [x0, y0, x1, y1, ...] broken where values cannot
 * be drawn (`coord[i]` is NaN). With more than ~2 points per pixel column each column keeps only its
 * min and max (in index order), so spikes stay visible; a column without any drawable value breaks
 * the line.
 */
export function buildRuns(coord: Float64Array, sx: Scale, sy: Scale, plotLeft: number, plotW: number): number[][] {
  const cols = Math.max(1, Math.ceil(plotW));
  if (coord.length <= 2 * cols) return pointRuns(coord, sx, sy);
  return columnRuns(coord, sx, sy, plotLeft, cols);
}

/** Collects runs: `point` extends the current run, `gap` closes it. */
function runCollector(): { runs: number[][]; point(x: number, y: number): void; gap(): void } {
  const runs: number[][] = [];
  let run: number[] = [];
  return {
    runs,
    point(x, y) {
      run.push(x, y);
    },
    gap() {
      if (run.length > 0) runs.push(run);
      run = [];
    },
  };
}

/** Every drawable value is a point. */
function pointRuns(coord: Float64Array, sx: Scale, sy: Scale): number[][] {
  const out = runCollector();
  for (let i = 0; i < coord.length; i++) {
    const c = coord[i];
    if (c !== c) out.gap();
    else out.point(sx(i), sy(c));
  }
  out.gap();
  return out.runs;
}

/** Each of `cols` pixel columns contributes its min and max value, in index order. */
function columnRuns(coord: Float64Array, sx: Scale, sy: Scale, plotLeft: number, cols: number): number[][] {
  const iMin = new Int32Array(cols).fill(-1);
  const iMax = new Int32Array(cols).fill(-1);
  const vMin = new Float64Array(cols);
  const vMax = new Float64Array(cols);
  for (let i = 0; i < coord.length; i++) {
    const c = coord[i];
    if (c !== c) continue;
    let col = Math.floor(sx(i) - plotLeft);
    if (!(col >= 0)) col = 0;
    else if (col >= cols) col = cols - 1;
    if (iMin[col] < 0) {
      iMin[col] = iMax[col] = i;
      vMin[col] = vMax[col] = c;
    } else if (c < vMin[col]) {
      iMin[col] = i;
      vMin[col] = c;
    } else if (c > vMax[col]) {
      iMax[col] = i;
      vMax[col] = c;
    }
  }
  const out = runCollector();
  for (let col = 0; col < cols; col++) {
    const a = iMin[col];
    const b = iMax[col];
    if (a < 0) {
      out.gap();
      continue;
    }
    const first = Math.min(a, b);
    const second = Math.max(a, b);
    out.point(sx(first), sy(coord[first]));
    if (second !== first) out.point(sx(second), sy(coord[second]));
  }
  out.gap();
  return out.runs;
}

/** The runs as the SVG group of the line: a polyline per run, a dot where a run is a single point. */
export function lineSvg(runs: number[][]): string {
  const line: string[] = [];
  for (const r of runs) {
    if (r.length === 2) line.push(`<circle cx="${px(r[0])}" cy="${px(r[1])}" r="1.5" fill="${LINE_COLOR}" stroke="none"/>`);
    else {
      const pts: string[] = [];
      for (let i = 0; i < r.length; i += 2) pts.push(`${px(r[i])},${px(r[i + 1])}`);
      line.push(`<polyline points="${pts.join(" ")}"/>`);
    }
  }
  return (
    `<g class="line" fill="none" stroke="${LINE_COLOR}" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round">` +
    `${line.join("")}</g>`
  );
}
