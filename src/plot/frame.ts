/**
 * Where everything goes: the plot area inside the figure (room for the title, the ×10ᴱ, the tick
 * labels and the axis labels), the y axis (whose ticks depend on the plot's height) and the x axis
 * (t = 0 … n-1 with matplotlib-like 5% margins), and the maps from data to screen px.
 */
import { linearAxis } from "./linear-axis.js";
import { logAxis } from "./log-axis.js";
import { LABEL_FS, TICK_FS, TICK_LEN, TITLE_FS } from "./style.js";
import { labelWidth } from "./text.js";
import { integerTicks, type Tick, type YAxis } from "./ticks.js";

/** Baseline of the x tick labels, px below the axes. */
export const X_TICK_LABEL_BASE = TICK_LEN + 4 + TICK_FS * 0.8;
/** Baseline of "train num", px below the axes. */
export const X_LABEL_BASE = TICK_LEN + 4 + TICK_FS + 10 + LABEL_FS * 0.8;
/** Baseline of the rotated "loss", px from the figure's left edge. */
export const Y_LABEL_X = 8 + LABEL_FS * 0.8;

/** Maps an index (x) or an axis coordinate (y) to screen px. */
export type Scale = (v: number) => number;

/** The laid-out figure. */
export interface Frame {
  width: number;
  height: number;
  plotLeft: number;
  plotTop: number;
  plotW: number;
  plotH: number;
  plotRight: number;
  plotBottom: number;
  yAxis: YAxis;
  xTicks: Tick[];
  /** Index t to screen x. */
  sx: Scale;
  /** Axis coordinate to screen y. */
  sy: Scale;
}

/** What the layout depends on. */
export interface FrameInput {
  width: number;
  height: number;
  log: boolean;
  hasTitle: boolean;
  /** How many values (the x axis runs over 0 … n-1). */
  n: number;
  /** Range of the drawable axis coordinates; dmin > dmax when nothing can be drawn. */
  dmin: number;
  dmax: number;
}

/** Lays out the figure; the vertical layout comes first because the y ticks set the left margin. */
export function layoutFrame({ width, height, log, hasTitle, n, dmin, dmax }: FrameInput): Frame {
  const hasData = dmin <= dmax;
  const titleH = hasTitle ? Math.round(TITLE_FS * 1.2 + 10) : 0;
  const bottom = Math.ceil(X_LABEL_BASE + LABEL_FS * 0.3 + 10);
  let top = 20 + titleH;
  const provisionalPlotH = height - bottom - top - (log ? 0 : TICK_FS + 6);
  const yAxis = log
    ? logAxis(hasData ? dmin : 0, hasData ? dmax : 1, provisionalPlotH)
    : linearAxis(hasData ? dmin : 0, hasData ? dmax : 1, provisionalPlotH);
  if (yAxis.multiplier) top += TICK_FS + 6;
  const plotTop = top;
  const plotH = Math.max(10, height - bottom - top);
  const plotBottom = plotTop + plotH;

  let yLabelW = 0;
  for (const t of yAxis.ticks) if (t.label) yLabelW = Math.max(yLabelW, labelWidth(t.label, TICK_FS));
  const plotLeft = Math.ceil(Y_LABEL_X + LABEL_FS * 0.35 + 8 + yLabelW + 4 + TICK_LEN);
  const right = 24;
  const plotW = Math.max(10, width - plotLeft - right);
  const plotRight = plotLeft + plotW;

  const [xlo, xhi] = xLimits(n);
  const xTicks = integerTicks(xlo, xhi, plotW);
  const sx = (x: number) => plotLeft + ((x - xlo) / (xhi - xlo)) * plotW;
  const ySpan = yAxis.hi / 2 - yAxis.lo / 2; // halves: the difference of two huge values may overflow
  const sy = (c: number) => plotBottom - ((c / 2 - yAxis.lo / 2) / ySpan) * plotH;
  return { width, height, plotLeft, plotTop, plotW, plotH, plotRight, plotBottom, yAxis, xTicks, sx, sy };
}

/** x limits for t = 0 … n-1: 5% margins (at least half a step), or [-0.5, 0.5] for one value or none. */
function xLimits(n: number): [number, number] {
  if (n <= 1) return [-0.5, 0.5];
  const m = Math.max(0.5, 0.05 * (n - 1));
  return [-m, n - 1 + m];
}
