/**
 * The SVG of everything around the line, each a function of the laid-out frame: gridlines at the
 * labelled ticks, the axes box (drawn over the line, like matplotlib's spines), the x and y ticks
 * with their labels, the shared ×10ᴱ, the axis labels and the title.
 */
import { X_LABEL_BASE, X_TICK_LABEL_BASE, Y_LABEL_X, type Frame } from "./frame.js";
import { CHAR_W, LABEL_FS, MINOR_TICK_LEN, TICK_FS, TICK_LEN, TITLE_FS } from "./style.js";
import { crisp, escapeXml, labelSvg, px } from "./text.js";

/** Light gridlines at the labelled ticks of both axes. */
export function gridSvg({ xTicks, yAxis, sx, sy, plotTop, plotBottom, plotLeft, plotRight }: Frame): string {
  const grid: string[] = [];
  for (const t of xTicks) {
    const x = crisp(sx(t.pos));
    grid.push(`<line x1="${x}" y1="${px(plotTop)}" x2="${x}" y2="${px(plotBottom)}"/>`);
  }
  for (const t of yAxis.ticks) {
    if (!t.label) continue;
    const y = crisp(sy(t.pos));
    grid.push(`<line x1="${px(plotLeft)}" y1="${y}" x2="${px(plotRight)}" y2="${y}"/>`);
  }
  return `<g class="grid" stroke="#dddddd" stroke-width="0.8">${grid.join("")}</g>`;
}

/** The axes box. */
export function axesBoxSvg({ plotLeft, plotTop, plotW, plotH }: Frame): string {
  return (
    `<rect class="axes" x="${crisp(plotLeft)}" y="${crisp(plotTop)}" width="${px(Math.round(plotW))}"` +
    ` height="${px(Math.round(plotH))}" fill="none" stroke="#000000" stroke-width="0.8"/>`
  );
}

/** The x ticks below the axes, each with its label. */
export function xTicksSvg({ xTicks, sx, plotBottom }: Frame): string {
  const xt: string[] = [];
  for (const t of xTicks) {
    const x = crisp(sx(t.pos));
    const yb = crisp(plotBottom);
    xt.push(
      `<g class="xtick" data-value="${t.value}"><line x1="${x}" y1="${yb}" x2="${x}" y2="${px(yb + TICK_LEN)}"/>` +
        `<text x="${x}" y="${px(plotBottom + X_TICK_LABEL_BASE)}" text-anchor="middle" stroke="none">${labelSvg(t.label!, TICK_FS)}</text></g>`,
    );
  }
  return `<g class="xticks" stroke="#000000" stroke-width="0.8" fill="#000000">${xt.join("")}</g>`;
}

/** The y ticks left of the axes: minor ticks, then the ticks with their labels. */
export function yTicksSvg({ yAxis, sy, plotLeft }: Frame): string {
  const yt: string[] = [];
  const xl = crisp(plotLeft);
  for (const pos of yAxis.minor) {
    const y = crisp(sy(pos));
    yt.push(`<line class="yminor" x1="${xl}" y1="${y}" x2="${px(xl - MINOR_TICK_LEN)}" y2="${y}" stroke-width="0.6"/>`);
  }
  for (const t of yAxis.ticks) {
    const y = crisp(sy(t.pos));
    const len = t.label ? TICK_LEN : MINOR_TICK_LEN;
    let s = `<g class="ytick" data-value="${t.value}"><line x1="${xl}" y1="${y}" x2="${px(xl - len)}" y2="${y}"/>`;
    if (t.label) {
      // centre the digits on the tick; a superscript makes the label taller, so nudge it down a little
      const base = sy(t.pos) + TICK_FS * (t.label.sup ? 0.42 : 0.36);
      s += `<text x="${px(plotLeft - TICK_LEN - 4)}" y="${px(base)}" text-anchor="end" stroke="none">${labelSvg(t.label, TICK_FS)}</text>`;
    }
    yt.push(s + `</g>`);
  }
  return `<g class="yticks" stroke="#000000" stroke-width="0.8" fill="#000000">${yt.join("")}</g>`;
}

/** The shared ×10ᴱ above the axes' top-left corner, or undefined when the y labels need none. */
export function multiplierSvg({ yAxis, plotLeft, plotTop }: Frame): string | undefined {
  if (!yAxis.multiplier) return undefined;
  return (
    `<text class="offset" x="${px(plotLeft)}" y="${px(plotTop - 7)}" text-anchor="start" fill="#000000">` +
    `${labelSvg(yAxis.multiplier, TICK_FS)}</text>`
  );
}

/** "train num" centred below the axes and "loss" rotated at their left. */
export function axisLabelsSvg({ plotLeft, plotW, plotTop, plotH, plotBottom }: Frame): string[] {
  return [
    `<text class="xlabel" x="${px(plotLeft + plotW / 2)}" y="${px(plotBottom + X_LABEL_BASE)}" text-anchor="middle"` +
      ` font-size="${LABEL_FS}" fill="#000000">train num</text>`,
    `<text class="ylabel" transform="translate(${px(Y_LABEL_X)},${px(plotTop + plotH / 2)}) rotate(-90)" text-anchor="middle"` +
      ` font-size="${LABEL_FS}" fill="#000000">loss</text>`,
  ];
}

/** The title centred above the axes, a long one shrunk so that it stays inside the figure. */
export function titleSvg({ width, plotLeft, plotW }: Frame, title: string): string {
  const text = escapeXml(title);
  const fit = (width - 16) / (Math.max(1, [...title].length) * CHAR_W);
  const fs = Math.max(8, Math.min(TITLE_FS, fit));
  return (
    `<text class="title" x="${px(plotLeft + plotW / 2)}" y="${px(18 + TITLE_FS * 0.9)}" text-anchor="middle"` +
    ` font-size="${px(fs)}" fill="#000000">${text}</text>`
  );
}
