// npm run bench's targets, as this run measured them: ratios of medians. Those against numpy come
// from the runs timed in alternation with numpy's (paired.mjs), the others from the tables above. The
// direct program's ratio to numpy is compared with the previous run's, read from the results.json
// this run replaces, where that run was on the same CPU.
import { existsSync, readFileSync } from "node:fs";
import { fixed, textTable } from "../dist/bench/index.js";
import { numpyLabel } from "./numpy.mjs";
import { DIRECT, GRAM } from "./paired.mjs";

const NUMPY_DIRECT = numpyLabel("direct", "f64", 1);
const NUMPY_GRAM = numpyLabel("gram", "f64", 1);

/**
 * The previous run's wasm-f64 / numpy-f64 (1 thread, direct) ratio of medians, from results.json as
 * it was: the paired one where that run has it, else the one of its main table. None when that run
 * names another CPU than `cpu` (the ratio moves with the machine: 2.13 on the Xeon of 2026-12-02,
 * 2.85 on an AMD EPYC the day after, the same code).
 */
export function previousDirectRatio(path, cpu) {
  if (!existsSync(path)) return undefined;
  const previous = JSON.parse(readFileSync(path, "utf8"));
  if (cpu !== undefined && previous.machine?.cpu !== undefined && previous.machine.cpu !== cpu) return undefined;
  const paired = previous.paired?.ratios?.find((p) => p.ours === DIRECT && p.numpy === NUMPY_DIRECT);
  if (paired) return paired.ratio;
  const runs = previous.runs ?? [];
  const median = (r) => r?.p50 ?? r?.median; // p50: this script's format; median: the one before tinybench's statistics
  const ours = runs.find((r) => r.label === DIRECT);
  // This script's results.json, or the one before it (its numpy rows had backend "numpy").
  const numpy = runs.find((r) => r.dtype === "f64" && r.threads === 1 && ((r.baseline === "numpy" && r.form === "direct") || r.backend === "numpy"));
  return ours && numpy ? median(ours) / median(numpy) : undefined;
}

/** [name, measured, goal text, met] for each target the rows, the overhead and the paired suite (or null) allow. */
export function targets(rows, overhead, previous, paired) {
  const by = (label) => rows.find((r) => r.label === label);
  const out = [];
  const add = (name, value, goal, met) => value !== undefined && Number.isFinite(value) && out.push({ name, value, goal, met: met(value) });
  add("js backend f64 time / row-streaming JS f64 time", by("js backend f64")?.p50 / by("row-streaming JS f64")?.p50, "≤ 1.15", (v) => v <= 1.15);
  if (paired) {
    const ratio = (ours, numpy) => paired.ratios.find((p) => p.ours === ours && p.numpy === numpy)?.ratio;
    const goal = previous === undefined ? "(no previous run on this CPU)" : `within 5% of the previous run's ${fixed(previous, 2)}`;
    add(`${DIRECT} time / ${NUMPY_DIRECT} (direct), in alternation`, ratio(DIRECT, NUMPY_DIRECT), goal, (v) => previous === undefined || v <= previous * 1.05);
    add(`${GRAM} time / ${NUMPY_DIRECT} (direct), in alternation`, ratio(GRAM, NUMPY_DIRECT), "≤ 0.10", (v) => v <= 0.1);
    const gramRows = paired.rows.filter((r) => r.label.startsWith("gram wasm f64"));
    if (gramRows.length > 0) {
      const best = gramRows.reduce((a, b) => (b.p50 < a.p50 ? b : a));
      add(`best gram f64 (${best.label}) time / ${NUMPY_GRAM}, in alternation`, ratio(best.label, NUMPY_GRAM), "≤ 0.8", (v) => v <= 0.8);
    }
  }
  const step = overhead.find((o) => o.backend === "wasm-simd");
  if (step) add("1×1×1×1 step, µs (median)", step.microseconds, "< 5", (v) => v < 5);
  return out;
}

export function targetsTable(list) {
  return textTable(["target", "measured", "goal", "met"], list.map((t) => [t.name, fixed(t.value, 2), t.goal, t.met ? "yes" : "no"]));
}
