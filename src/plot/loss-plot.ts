/**
 * The loss curve as a standalone SVG document: no dependencies, no DOM, never throws.
 *
 * It aims at the look of a plain matplotlib figure (white background, axes box, one #1f77b4 line,
 * "train num" / "loss" labels), with a log-scale y axis by default because a training loss typically
 * falls over many orders of magnitude. This file reads the options and puts the document together;
 * input.ts reads the values, frame.ts lays the figure out (the axes are in log-axis.ts,
 * linear-axis.ts and ticks.ts), line.ts draws the curve and axes-svg.ts everything around it.
 */
import { axesBoxSvg, axisLabelsSvg, gridSvg, multiplierSvg, titleSvg, xTicksSvg, yTicksSvg } from "./axes-svg.js";
import { layoutFrame } from "./frame.js";
import { axisCoords, readValues, sizeOption } from "./input.js";
import { buildRuns, lineSvg } from "./line.js";
import { FONT, TICK_FS } from "./style.js";
import { escapeXml } from "./text.js";

/** How lossPlotSvg draws; every field is optional and a bad value falls back to the default. */
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

/** The options, each read once; anything unreadable (a getter or proxy that throws) is no option at all. */
function readPlotOptions(options: unknown): LossPlotOptions {
  if (options === null || typeof options !== "object") return {};
  try {
    const { scale, title, width, height } = options as LossPlotOptions;
    return { scale, title, width, height };
  } catch {
    return {};
  }
}

/** Renders losses[t] against t (t = 0 … length-1) as a self-contained SVG document string. */
export function lossPlotSvg(losses: ArrayLike<number>, options?: LossPlotOptions): string {
  const opts = readPlotOptions(options);
  const log = opts.scale !== "linear";
  const width = sizeOption(opts.width, 800, 200);
  const height = sizeOption(opts.height, 500, 150);
  const title = typeof opts.title === "string" && opts.title.trim() !== "" ? opts.title : undefined;

  const values = readValues(losses);
  const { coord, dmin, dmax } = axisCoords(values, log);
  const frame = layoutFrame({ width, height, log, hasTitle: title !== undefined, n: values.length, dmin, dmax });
  const runs = buildRuns(coord, frame.sx, frame.sy, frame.plotLeft, frame.plotW);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
      ` font-family="${FONT}" font-size="${TICK_FS}">`,
  );
  if (title) out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(gridSvg(frame));
  out.push(lineSvg(runs));
  out.push(axesBoxSvg(frame)); // over the line, like matplotlib's spines
  out.push(xTicksSvg(frame));
  out.push(yTicksSvg(frame));
  const multiplier = multiplierSvg(frame);
  if (multiplier !== undefined) out.push(multiplier);
  out.push(...axisLabelsSvg(frame));
  if (title) out.push(titleSvg(frame, title));
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
