// npm run bench's targets, as this run measured them: ratios of medians from the tables above. The
// direct program's ratio to numpy is compared with the previous run's, read from the results.json
// this run replaces.
import { existsSync, readFileSync } from "node:fs";
import { fixed, textTable } from "../dist/bench/index.js";

const isNumpy = (r, form, dtype, threads) => r.contender?.baseline === "numpy" && r.contender.form === form && r.dtype === dtype && r.contender.threads === threads;

/** The previous run's default-f64 / numpy-f64 (1 thread) ratio of medians, from results.json as it was. */
export function previousDirectRatio(path) {
  if (!existsSync(path)) return undefined;
  const runs = JSON.parse(readFileSync(path, "utf8")).runs ?? [];
  const median = (r) => r?.p50 ?? r?.median; // p50: this script's format; median: the one before tinybench's statistics
  const ours = runs.find((r) => r.label === "wasm f64 SIMD, 1 thread");
  // This script's results.json, or the one before it (its numpy rows had backend "numpy").
  const numpy = runs.find((r) => r.dtype === "f64" && r.threads === 1 && ((r.baseline === "numpy" && r.form === "direct") || r.backend === "numpy"));
  return ours && numpy ? median(ours) / median(numpy) : undefined;
}

/** [name, measured, goal text, met] for each target the rows allow. */
export function targets(rows, overhead, previous) {
  const by = (label) => rows.find((r) => r.label === label);
  const numpy = (form, dtype = "f64", threads = 1) => rows.find((r) => isNumpy(r, form, dtype, threads));
  const out = [];
  const add = (name, value, goal, met) => value !== undefined && Number.isFinite(value) && out.push({ name, value, goal, met: met(value) });
  add("js backend f64 time / row-streaming JS f64 time", by("js backend f64")?.p50 / by("row-streaming JS f64")?.p50, "≤ 1.15", (v) => v <= 1.15);
  const direct = by("wasm f64 SIMD, 1 thread");
  const numpy1 = numpy("direct");
  if (direct && numpy1) {
    const ratio = direct.p50 / numpy1.p50;
    const goal = previous === undefined ? "(no previous run)" : `within 5% of the previous run's ${fixed(previous, 2)}`;
    add("wasm f64 SIMD, 1 thread time / numpy f64, 1 thread (direct)", ratio, goal, (v) => previous === undefined || v <= previous * 1.05);
    const gram = by("gram wasm f64 SIMD, 1 thread");
    if (gram) add("gram wasm f64 SIMD, 1 thread time / numpy f64, 1 thread (direct)", gram.p50 / numpy1.p50, "≤ 0.10", (v) => v <= 0.1);
    const gramRows = rows.filter((r) => r.label.startsWith("gram wasm f64") && r.p50 !== undefined);
    const numpyGram = numpy("gram");
    if (gramRows.length > 0 && numpyGram) {
      const best = gramRows.reduce((a, b) => (b.p50 < a.p50 ? b : a));
      add(`best gram f64 (${best.label}) time / numpy Gram form f64, 1 thread`, best.p50 / numpyGram.p50, "≤ 0.8", (v) => v <= 0.8);
    }
  }
  const step = overhead.find((o) => o.backend === "wasm-simd");
  if (step) add("1×1×1×1 step, µs (median)", step.microseconds, "< 5", (v) => v < 5);
  return out;
}

export function targetsTable(list) {
  return textTable(["target", "measured", "goal", "met"], list.map((t) => [t.name, fixed(t.value, 2), t.goal, t.met ? "yes" : "no"]));
}
