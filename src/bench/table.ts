// The seed-run table as text: tinybench's statistics per run (median, mean, p75, p99, relative
// margin of error, samples) and how many times faster than the plain-JS baselines of the same dtype.
import type { SeedRunResult } from "./measure.js";

/** A column of the table: its header and each row's cell. */
export interface Column {
  readonly header: string;
  cell(row: SeedRunResult, rows: readonly SeedRunResult[]): string;
}

/** `digits` decimals, or "-" for a missing or non-finite value. */
export const fixed = (value: number | undefined, digits: number): string => (value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : "-");

/** Seconds with three significant digits at least (0.0312, 0.566, 14.1). */
export const secondsText = (s: number | undefined): string => (s === undefined ? "-" : fixed(s, s < 0.1 ? 4 : s < 10 ? 3 : 2));

/** Columns of text, the first left-aligned and the others right-aligned, under a rule. */
export function textTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** "N.N×": how many times faster `row` ran than the row labelled `label` (medians), or "-". */
export function timesFaster(label: (dtype: "f64" | "f32") => string, header: string): Column {
  return {
    header,
    cell(row, rows) {
      const ref = rows.find((r) => r.label === label(row.dtype));
      if (ref?.p50 === undefined || row.p50 === undefined) return "-";
      return `${fixed(ref.p50 / row.p50, 1)}×`;
    },
  };
}

/** The statistics columns, then the speed-ups over row-streaming JS and the js backend (same dtype). */
export const SEED_RUN_COLUMNS: readonly Column[] = [
  { header: "median s", cell: (r) => secondsText(r.p50) },
  { header: "mean s", cell: (r) => secondsText(r.mean) },
  { header: "p75 s", cell: (r) => secondsText(r.p75) },
  { header: "p99 s", cell: (r) => secondsText(r.p99) },
  { header: "±rme", cell: (r) => (r.rme === undefined || (r.samples ?? 0) < 2 ? "-" : `${fixed(r.rme, 1)}%`) },
  { header: "n", cell: (r) => String(r.samples ?? "-") },
  timesFaster((dtype) => `row-streaming JS ${dtype}`, "× row-streaming JS"),
  timesFaster((dtype) => `js backend ${dtype}`, "× js backend"),
];

/** The table of `rows`; a skipped run shows why in place of its figures. */
export function seedRunTable(rows: readonly SeedRunResult[], columns: readonly Column[] = SEED_RUN_COLUMNS): string {
  const body = rows.map((r) => (r.skipped !== undefined ? [r.label, `skipped: ${r.skipped}`, ...columns.slice(1).map(() => "")] : [r.label, ...columns.map((c) => c.cell(r, rows))]));
  return textTable(["run", ...columns.map((c) => c.header)], body);
}
