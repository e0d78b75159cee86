/**
 * The look of the loss plot in one place: the font, the line colour, font sizes and tick lengths of
 * a plain matplotlib figure, and the glyph width we estimate text by (an SVG string has no font
 * metrics to ask).
 */

/** Font stack: matplotlib's DejaVu Sans first. */
export const FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";
/** matplotlib's first colour cycle entry ("tab:blue"). */
export const LINE_COLOR = "#1f77b4";
/** Font size of tick labels, px. */
export const TICK_FS = 14;
/** Font size of the axis labels, px. */
export const LABEL_FS = 15;
/** Font size of the title, px (before shrinking a long one to fit). */
export const TITLE_FS = 17;
/** Major tick length, px: matplotlib's default. */
export const TICK_LEN = 3.5;
/** Minor tick length, px. */
export const MINOR_TICK_LEN = 2;
/** Estimated glyph advance, in em (DejaVu Sans digits are ~0.64 em). */
export const CHAR_W = 0.62;
/** Superscript font size relative to its text. */
export const SUP_SCALE = 0.72;
