/**
 * Text in the SVG: tick labels with a superscript, their estimated width, the typographic minus,
 * XML escaping, and numbers written as coordinates (0.1 px, never NaN or Infinity in the output).
 */
import { CHAR_W, SUP_SCALE } from "./style.js";

/** A tick label: `base` then an optional superscript, e.g. "10" + "−4" or "2×10" + "7". */
export interface Label {
  base: string;
  sup?: string;
}

/** The label as SVG text content, its superscript raised in a smaller `tspan`. */
export function labelSvg(l: Label, fs: number): string {
  let s = escapeXml(l.base);
  if (l.sup) s += `<tspan dy="${px(-fs * 0.42)}" font-size="${px(fs * SUP_SCALE)}">${escapeXml(l.sup)}</tspan>`;
  return s;
}

/** The label's estimated width in px at font size `fs`. */
export function labelWidth(l: Label, fs: number): number {
  return [...l.base].length * CHAR_W * fs + (l.sup ? [...l.sup].length * CHAR_W * fs * SUP_SCALE : 0);
}

/** ASCII hyphen-minus to the typographic minus sign, as matplotlib draws it. */
export function minus(s: string): string {
  return s.replace(/^-/, "\u2212");
}

/**
 * `s` made safe as XML text or attribute content: characters XML 1.0 forbids (C0 controls, U+FFFE,
 * U+FFFF, unpaired surrogates) are dropped and the five markup characters escaped.
 */
export function escapeXml(s: string): string {
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
export function px(v: number): string {
  const r = Math.round(v * 10) / 10;
  if (!Number.isFinite(r)) return "0";
  return String(r === 0 ? 0 : r);
}

/** A coordinate on the pixel grid + 0.5, so that thin horizontal/vertical lines are crisp. */
export function crisp(v: number): number {
  return Number.isFinite(v) ? Math.round(v - 0.5) + 0.5 : 0.5;
}
