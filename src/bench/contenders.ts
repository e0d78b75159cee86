// What a seed-run comparison times, as data: each entry is a network's options (the label follows
// from them) or a plain-JavaScript baseline. A new configuration is one more entry, such as
// `{ options: { algorithm: "gram", dtype: "f64" } }`; npm run bench, `twolayer bench` and the bench
// page each pick their list here.
import type { DType } from "../kernels.js";

/** The options of TwoLayerNet.create that a seed run varies (anything else stays the tutorial's). */
export interface RunOptions {
  readonly dtype: DType;
  readonly threads?: number;
  readonly fma?: boolean;
  readonly simd?: boolean | "auto";
  readonly backend?: "wasm" | "js";
  /** The training algorithm, passed through as given ("direct", "gram"). */
  readonly algorithm?: string;
}

/** A program of the caller's, timed like the others (npm run bench's textbook JavaScript): `start` makes it ready. */
export interface OtherProgram {
  readonly baseline: string;
  readonly dtype: DType;
  readonly label: string;
  /** Makes the program ready for runs of `iterations`: `reset` (untimed) restores the seed state, `run` trains and returns the losses. */
  start(iterations: number): { run(): Float64Array; reset(): void };
}

/** One timed configuration: a network, the row-streaming JavaScript program (row-streaming.ts), or another program. */
export type Contender =
  | { readonly options: RunOptions; readonly label?: string }
  | { readonly baseline: "row-streaming"; readonly dtype: DType; readonly label?: string }
  | OtherProgram;

/** Whether a contender runs plain JavaScript (seconds per seed run, rather than tenths): it gets fewer samples. */
export function isSlow(c: Contender): boolean {
  return "baseline" in c || c.options.backend === "js" || c.options.simd === false;
}

export function dtypeOf(c: Contender): DType {
  return "baseline" in c ? c.dtype : c.options.dtype;
}

/** "wasm f64 SIMD, 1 thread", "wasm f32 FMA, 2 threads", "wasm f64 scalar, 1 thread", "js backend f64", "gram wasm f64 SIMD, 1 thread", "row-streaming JS f64". */
export function labelOf(c: Contender): string {
  if (c.label !== undefined) return c.label;
  if ("baseline" in c) return `${c.baseline === "row-streaming" ? "row-streaming JS" : c.baseline} ${c.dtype}`;
  const o = c.options;
  const algorithm = o.algorithm !== undefined && o.algorithm !== "direct" ? `${o.algorithm} ` : "";
  if (o.backend === "js") return `${algorithm}js backend ${o.dtype}`;
  const threads = o.threads ?? 1;
  const kind = o.simd === false ? "scalar" : o.fma ? "FMA" : "SIMD";
  return `${algorithm}wasm ${o.dtype} ${kind}, ${threads} thread${threads > 1 ? "s" : ""}`;
}

const wasmGrid = (dtypes: readonly DType[], threads: readonly number[], fma: readonly boolean[], extra: Partial<RunOptions> = {}): Contender[] =>
  dtypes.flatMap((dtype) => threads.flatMap((t) => fma.map((f) => ({ options: { dtype, threads: t, fma: f, ...extra } }))));

/** npm run bench: every build and thread count, both dtypes, as written and in the Gram form, the js backend and row-streaming JS (bench/run.mjs adds the textbook program and numpy). */
export const BENCH_CONTENDERS: readonly Contender[] = [
  ...wasmGrid(["f64", "f32"], [1, 2], [false, true]),
  ...wasmGrid(["f64", "f32"], [1, 2], [false, true], { algorithm: "gram" }),
  { options: { dtype: "f64", simd: false } },
  { options: { dtype: "f64", simd: false, algorithm: "gram" } },
  { options: { dtype: "f64", backend: "js" } },
  { options: { dtype: "f32", backend: "js" } },
  { options: { dtype: "f64", backend: "js", algorithm: "gram" } },
  { baseline: "row-streaming", dtype: "f64" },
  { baseline: "row-streaming", dtype: "f32" },
];

/** `twolayer bench`: wasm SIMD both dtypes, 2 threads and FMA (where the runtime has them), the Gram form, against the js backend and row-streaming JS. */
export const CLI_CONTENDERS: readonly Contender[] = [
  ...wasmGrid(["f64", "f32"], [1, 2], [false]),
  ...wasmGrid(["f64", "f32"], [1], [true]),
  ...wasmGrid(["f64"], [1], [false, true], { algorithm: "gram" }),
  { options: { dtype: "f64", backend: "js" } },
  { baseline: "row-streaming", dtype: "f64" },
];

/** The bench page: wasm SIMD (as written and in the Gram form) against the js backend and row-streaming JS, both dtypes, one thread. */
export const PAGE_CONTENDERS: readonly Contender[] = (["f64", "f32"] as const).flatMap((dtype): Contender[] => [
  { options: { dtype } },
  { options: { dtype, algorithm: "gram" } },
  { options: { dtype, backend: "js" } },
  { baseline: "row-streaming", dtype },
]);
