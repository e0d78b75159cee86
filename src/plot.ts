/**
 * The loss curve as a standalone SVG document: no dependencies, no DOM, never throws.
 *
 * It aims at the look of a plain matplotlib figure (white background, axes box, one #1f77b4 line,
 * "train num" / "loss" labels), with a log-scale y axis by default because a training loss typically
 * falls over many orders of magnitude.
 */

export interface LossPlotOptions {
  /** y-axis scale; default "log". Values <= 0 cannot be drawn on a log axis and are skipped. */
  scale?: "log" | "linear";
  /** Drawn centred above the axes when given; default none. */
  title?: string;
  /** Width in px, default 800. */
  width?: number;
  /** Height in px, default 500. */
  height?: number;
}

const FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";
const LINE_COLOR = "#1f77b4";
const TICK_FS = 14; // tick labels
const LABEL_FS = 15; // axis labels
const TITLE_FS = 17;
const TICK_LEN = 3.5; // major tick length (px), matplotlib's default
const MINOR_TICK_LEN = 2;
const CHAR_W = 0.62; // estimated glyph advance, in em (DejaVu Sans digits are ~0.64 em)
const SUP_SCALE = 0.72; // superscript font size relative to its text
const MAX_LOG10 = Math.log10(Number.MAX_VALUE); // 308.25...
const MIN_LOG10 = Math.log10(Number.MIN_VALUE); // -323.3...

/** A tick label: `base` then an optional superscript, e.g. "10" + "−4" or "2×10" + "7". */
interface Label {
  base: string;
  sup?: string;
}

interface Tick {
  /** Position along the axis in the axis' own coordinate (log10 of the value on a log axis). */
  pos: number;
  /** The value, as a string a JavaScript Number() reads back (kept for tests and tooling). */
  value: string;
  label?: Label;
}

interface YAxis {
  lo: number; // axis limits in axis coordinates (log10 on a log axis)
  hi: number;
  ticks: Tick[];
  minor: number[]; // positions of unlabelled minor ticks
  /** Linear axes with large or tiny values: labels are mantissas and this is the shared "×10ᴱ". */
  multiplier?: Label;
}

/** Renders losses[t] against t (t = 0 … length-1) as a self-contained SVG document string. */
export function lossPlotSvg(losses: ArrayLike<number>, options?: LossPlotOptions): string {
  const opts: LossPlotOptions = options !== null && typeof options === "object" ? options : {};
  const log = opts.scale !== "linear";
  const width = sizeOption(opts.width, 800, 200);
  const height = sizeOption(opts.height, 500, 150);
  const title = typeof opts.title === "string" && opts.title.trim() !== "" ? opts.title : undefined;

  const values = readValues(losses);
  const n = values.length;
  // Axis coordinate of each value, or NaN where it cannot be drawn (NaN, ±Infinity, <= 0 on a log axis).
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
  const hasData = dmin <= dmax;

  // ---- vertical layout (the y ticks depend on the plot height only) ----
  const titleH = title ? Math.round(TITLE_FS * 1.2 + 10) : 0;
  const xTickLabelBase = TICK_LEN + 4 + TICK_FS * 0.8; // baseline of x tick labels below the axes
  const xLabelBase = TICK_LEN + 4 + TICK_FS + 10 + LABEL_FS * 0.8;
  const bottom = Math.ceil(xLabelBase + LABEL_FS * 0.3 + 10);
  let top = 20 + titleH;
  const provisionalPlotH = height - bottom - top - (log ? 0 : TICK_FS + 6);
  const yAxis = log
    ? logAxis(hasData ? dmin : 0, hasData ? dmax : 1, provisionalPlotH)
    : linearAxis(hasData ? dmin : 0, hasData ? dmax : 1, provisionalPlotH);
  if (yAxis.multiplier) top += TICK_FS + 6;
  const plotTop = top;
  const plotH = Math.max(10, height - bottom - top);
  const plotBottom = plotTop + plotH;

  // ---- horizontal layout ----
  let yLabelW = 0;
  for (const t of yAxis.ticks) if (t.label) yLabelW = Math.max(yLabelW, labelWidth(t.label, TICK_FS));
  const yLabelX = 8 + LABEL_FS * 0.8; // baseline of the rotated "loss"
  const left = Math.ceil(yLabelX + LABEL_FS * 0.35 + 8 + yLabelW + 4 + TICK_LEN);
  const right = 24;
  const plotLeft = left;
  const plotW = Math.max(10, width - left - right);
  const plotRight = plotLeft + plotW;

  // x axis: t = 0 … n-1 with matplotlib-like 5% margins, ticks at nice integer steps
  let xlo: number;
  let xhi: number;
  if (n <= 1) {
    xlo = -0.5;
    xhi = 0.5;
  } else {
    const m = Math.max(0.5, 0.05 * (n - 1));
    xlo = -m;
    xhi = n - 1 + m;
  }
  const xTicks = integerTicks(xlo, xhi, plotW);

  const sx = (x: number) => plotLeft + ((x - xlo) / (xhi - xlo)) * plotW;
  const ySpan = yAxis.hi / 2 - yAxis.lo / 2; // halves: the difference of two huge values may overflow
  const sy = (c: number) => plotBottom - ((c / 2 - yAxis.lo / 2) / ySpan) * plotH;

  // ---- the line ----
  const runs = buildRuns(coord, sx, sy, plotLeft, plotW);

  // ---- emit ----
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
      ` font-family="${FONT}" font-size="${TICK_FS}">`,
  );
  if (title) out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);

  // light gridlines at the labelled ticks
  const grid: string[] = [];
  for (const t of xTicks) {
    const x = crisp(sx(t.pos));
    grid.push(`<line x1="${x}" y1="${f(plotTop)}" x2="${x}" y2="${f(plotBottom)}"/>`);
  }
  for (const t of yAxis.ticks) {
    if (!t.label) continue;
    const y = crisp(sy(t.pos));
    grid.push(`<line x1="${f(plotLeft)}" y1="${y}" x2="${f(plotRight)}" y2="${y}"/>`);
  }
  out.push(`<g class="grid" stroke="#dddddd" stroke-width="0.8">${grid.join("")}</g>`);

  // the data
  const line: string[] = [];
  for (const r of runs) {
    if (r.length === 2) line.push(`<circle cx="${f(r[0])}" cy="${f(r[1])}" r="1.5" fill="${LINE_COLOR}" stroke="none"/>`);
    else {
      const pts: string[] = [];
      for (let i = 0; i < r.length; i += 2) pts.push(`${f(r[i])},${f(r[i + 1])}`);
      line.push(`<polyline points="${pts.join(" ")}"/>`);
    }
  }
  out.push(
    `<g class="line" fill="none" stroke="${LINE_COLOR}" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round">` +
      `${line.join("")}</g>`,
  );

  // axes box (drawn over the line, like matplotlib's spines)
  out.push(
    `<rect class="axes" x="${crisp(plotLeft)}" y="${crisp(plotTop)}" width="${f(Math.round(plotW))}"` +
      ` height="${f(Math.round(plotH))}" fill="none" stroke="#000000" stroke-width="0.8"/>`,
  );

  // x ticks
  const xt: string[] = [];
  for (const t of xTicks) {
    const x = crisp(sx(t.pos));
    const yb = crisp(plotBottom);
    xt.push(
      `<g class="xtick" data-value="${t.value}"><line x1="${x}" y1="${yb}" x2="${x}" y2="${f(yb + TICK_LEN)}"/>` +
        `<text x="${x}" y="${f(plotBottom + xTickLabelBase)}" text-anchor="middle" stroke="none">${labelSvg(t.label!, TICK_FS)}</text></g>`,
    );
  }
  out.push(`<g class="xticks" stroke="#000000" stroke-width="0.8" fill="#000000">${xt.join("")}</g>`);

  // y ticks
  const yt: string[] = [];
  const xl = crisp(plotLeft);
  for (const pos of yAxis.minor) {
    const y = crisp(sy(pos));
    yt.push(`<line class="yminor" x1="${xl}" y1="${y}" x2="${f(xl - MINOR_TICK_LEN)}" y2="${y}" stroke-width="0.6"/>`);
  }
  for (const t of yAxis.ticks) {
    const y = crisp(sy(t.pos));
    const len = t.label ? TICK_LEN : MINOR_TICK_LEN;
    let s = `<g class="ytick" data-value="${t.value}"><line x1="${xl}" y1="${y}" x2="${f(xl - len)}" y2="${y}"/>`;
    if (t.label) {
      // centre the digits on the tick; a superscript makes the label taller, so nudge it down a little
      const base = sy(t.pos) + TICK_FS * (t.label.sup ? 0.42 : 0.36);
      s += `<text x="${f(plotLeft - TICK_LEN - 4)}" y="${f(base)}" text-anchor="end" stroke="none">${labelSvg(t.label, TICK_FS)}</text>`;
    }
    yt.push(s + `</g>`);
  }
  out.push(`<g class="yticks" stroke="#000000" stroke-width="0.8" fill="#000000">${yt.join("")}</g>`);
  if (yAxis.multiplier) {
    out.push(
      `<text class="offset" x="${f(plotLeft)}" y="${f(plotTop - 7)}" text-anchor="start" fill="#000000">` +
        `${labelSvg(yAxis.multiplier, TICK_FS)}</text>`,
    );
  }

  // axis labels and title
  out.push(
    `<text class="xlabel" x="${f(plotLeft + plotW / 2)}" y="${f(plotBottom + xLabelBase)}" text-anchor="middle"` +
      ` font-size="${LABEL_FS}" fill="#000000">train num</text>`,
  );
  out.push(
    `<text class="ylabel" transform="translate(${f(yLabelX)},${f(plotTop + plotH / 2)}) rotate(-90)" text-anchor="middle"` +
      ` font-size="${LABEL_FS}" fill="#000000">loss</text>`,
  );
  if (title) {
    const text = escapeXml(title);
    // shrink a long title so that it stays inside the figure
    const fit = (width - 16) / (Math.max(1, [...title].length) * CHAR_W);
    const fs = Math.max(8, Math.min(TITLE_FS, fit));
    out.push(
      `<text class="title" x="${f(plotLeft + plotW / 2)}" y="${f(18 + TITLE_FS * 0.9)}" text-anchor="middle"` +
        ` font-size="${f(fs)}" fill="#000000">${text}</text>`,
    );
  }
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// input

function sizeOption(v: unknown, dflt: number, min: number): number {
  if (typeof v !== "number" || !Number.isFinite(v)) return dflt;
  return Math.max(min, Math.min(100000, Math.round(v)));
}

function readValues(losses: ArrayLike<number>): Float64Array {
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

// ---------------------------------------------------------------------------------------------
// axes and ticks

/** Log axis from data log10 range [dmin, dmax]. */
function logAxis(dmin: number, dmax: number, plotH: number): YAxis {
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
  const pxPerDecade = plotH / (hi - lo);
  const minSpacing = TICK_FS * 1.9; // px between labelled ticks
  const ticks: Tick[] = [];
  const minor: number[] = [];
  const kLo = Math.ceil(lo - 1e-9);
  const kHi = Math.floor(hi + 1e-9);
  if (kHi - kLo + 1 >= 2) {
    // powers of ten; label every s-th decade so that labels never crowd
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
  } else {
    // at most one power of ten in view: label 1, 2, 5 × 10^k, minor ticks at the other mantissas
    for (let k = Math.floor(lo) - 1; k <= Math.ceil(hi); k++) {
      for (let m = 1; m <= 9; m++) {
        const p = k + Math.log10(m);
        if (p < lo - 1e-9 || p > hi + 1e-9) continue;
        if (m === 1 || m === 2 || m === 5) ticks.push({ pos: p, value: `${m}e${k}`, label: mantissaLabel(m, k) });
        else minor.push(p);
      }
    }
  }
  return { lo, hi, ticks, minor };
}

function mantissaLabel(m: number, k: number): Label {
  if (k >= -3 && k <= 4) {
    const s = k >= 0 ? String(m * 10 ** k) : (m / 10 ** -k).toFixed(-k);
    return { base: s };
  }
  return m === 1 ? { base: "10", sup: minus(String(k)) } : { base: `${m}×10`, sup: minus(String(k)) };
}

/** Linear axis from the data range [dmin, dmax]. */
function linearAxis(dmin: number, dmax: number, plotH: number): YAxis {
  const center = dmin / 2 + dmax / 2;
  let half = dmax / 2 - dmin / 2;
  const minHalf = Math.max(Math.abs(center) * 1e-9, 1e-300);
  if (half === 0) half = center === 0 ? 1 : Math.abs(center) * 0.1;
  else half *= 1.1; // 5% margin at either end
  half = Math.max(half, minHalf);
  const lo = Math.max(-Number.MAX_VALUE, center - half);
  const hi = Math.min(Number.MAX_VALUE, center + half);
  const maxTicks = Math.max(2, Math.min(9, Math.floor(plotH / (TICK_FS * 2.5)) + 1));
  const h = hi / 2 - lo / 2;

  // smallest step m·10^e (m in 1, 2, 5) giving at most maxTicks ticks
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

function fixed(v: number, decimals: number): string {
  if (!Number.isFinite(v)) return "0";
  const s = v.toFixed(Math.min(100, decimals));
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

function numberString(v: number): string {
  return Number.isFinite(v) ? String(v === 0 ? 0 : v) : "0";
}

/** Integer ticks (t >= 0) at steps of 1, 2, 5 × 10^k whose labels do not collide. */
function integerTicks(lo: number, hi: number, plotW: number): Tick[] {
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

// ---------------------------------------------------------------------------------------------
// the line

/**
 * Screen points of the drawable values, as runs of [x0, y0, x1, y1, ...] broken where values cannot be drawn.
 * With more than ~2 points per pixel column each column keeps only its min and max (in index order),
 * so spikes stay visible; a column without any drawable value breaks the line.
 */
function buildRuns(
  coord: Float64Array,
  sx: (x: number) => number,
  sy: (c: number) => number,
  plotLeft: number,
  plotW: number,
): number[][] {
  const n = coord.length;
  const runs: number[][] = [];
  let run: number[] = [];
  const close = () => {
    if (run.length > 0) runs.push(run);
    run = [];
  };
  const cols = Math.max(1, Math.ceil(plotW));
  if (n <= 2 * cols) {
    for (let i = 0; i < n; i++) {
      const c = coord[i];
      if (c !== c) close();
      else run.push(sx(i), sy(c));
    }
    close();
    return runs;
  }
  const iMin = new Int32Array(cols).fill(-1);
  const iMax = new Int32Array(cols).fill(-1);
  const vMin = new Float64Array(cols);
  const vMax = new Float64Array(cols);
  for (let i = 0; i < n; i++) {
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
  for (let col = 0; col < cols; col++) {
    const a = iMin[col];
    const b = iMax[col];
    if (a < 0) {
      close();
      continue;
    }
    const first = Math.min(a, b);
    const second = Math.max(a, b);
    run.push(sx(first), sy(coord[first]));
    if (second !== first) run.push(sx(second), sy(coord[second]));
  }
  close();
  return runs;
}

// ---------------------------------------------------------------------------------------------
// text

function labelSvg(l: Label, fs: number): string {
  let s = escapeXml(l.base);
  if (l.sup) s += `<tspan dy="${f(-fs * 0.42)}" font-size="${f(fs * SUP_SCALE)}">${escapeXml(l.sup)}</tspan>`;
  return s;
}

function labelWidth(l: Label, fs: number): number {
  return [...l.base].length * CHAR_W * fs + (l.sup ? [...l.sup].length * CHAR_W * fs * SUP_SCALE : 0);
}

/** ASCII hyphen-minus to the typographic minus sign, as matplotlib draws it. */
function minus(s: string): string {
  return s.replace(/^-/, "\u2212");
}

function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** A coordinate rounded to 0.1 px (never NaN or Infinity in the output). */
function f(v: number): string {
  const r = Math.round(v * 10) / 10;
  if (!Number.isFinite(r)) return "0";
  return String(r === 0 ? 0 : r);
}

/** A coordinate on the pixel grid + 0.5, so that thin horizontal/vertical lines are crisp. */
function crisp(v: number): number {
  return Number.isFinite(v) ? Math.round(v - 0.5) + 0.5 : 0.5;
}
