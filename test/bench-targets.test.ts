// npm run bench's targets (bench/targets.mjs) and the paired suite's ratios (bench/paired.mjs), on
// made-up rows: which rows each target compares, the goals' edges, the previous run's ratio read
// from either results.json format. The scripts run against dist/ (npm test builds it first).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DIRECT, GRAM, pairRatio } from "../bench/paired.mjs";
import { previousDirectRatio, targets } from "../bench/targets.mjs";

const NUMPY_DIRECT = "numpy f64, 1 thread";
const NUMPY_GRAM = "numpy Gram form f64, 1 thread";
const row = (label: string, p50: number) => ({ label, p50 });
const ratio = (ours: string, numpy: string, value: number) => ({ ours, numpy, ratio: value, rounds: { median: value, min: value, max: value } });

/** A paired result with these medians (seconds) and the ratios they make. */
function paired(medians: Record<string, number>) {
  const rows = Object.entries(medians).map(([label, p50]) => row(label, p50));
  const gram = rows.filter((r) => r.label.startsWith("gram wasm f64"));
  return {
    rounds: 3,
    rows,
    ratios: [
      ratio(DIRECT, NUMPY_DIRECT, medians[DIRECT] / medians[NUMPY_DIRECT]),
      ratio(GRAM, NUMPY_DIRECT, medians[GRAM] / medians[NUMPY_DIRECT]),
      ...gram.map((r) => ratio(r.label, NUMPY_GRAM, r.p50 / medians[NUMPY_GRAM])),
    ],
  };
}

const MAIN = [row("js backend f64", 4), row("row-streaming JS f64", 4), row(DIRECT, 1), row(GRAM, 0.09)]; // not the paired medians: the targets must not read these
const OVERHEAD = [{ backend: "wasm-simd", microseconds: 0.6 }];
const byName = (list: { name: string }[], start: string) => list.find((t) => t.name.startsWith(start));

describe("bench targets", () => {
  it("take the numpy ratios from the runs in alternation, the best gram by its paired median", () => {
    const p = paired({ [DIRECT]: 1.2, [NUMPY_DIRECT]: 0.5, [GRAM]: 0.05, [NUMPY_GRAM]: 0.05, "gram wasm f64 FMA, 1 thread": 0.045, "gram wasm f64 FMA, 2 threads": 0.039, "gram wasm f64 SIMD, 2 threads": 0.041 });
    const list = targets(MAIN, OVERHEAD, 2.5, p);
    expect(byName(list, `${DIRECT} time`)).toMatchObject({ value: 2.4, met: true, goal: "within 5% of the previous run's 2.50" });
    expect(byName(list, `${GRAM} time`)).toMatchObject({ value: 0.1, met: true, goal: "≤ 0.10" });
    const best = byName(list, "best gram f64");
    expect(best?.name).toBe(`best gram f64 (gram wasm f64 FMA, 2 threads) time / ${NUMPY_GRAM}, in alternation`);
    expect(best?.value).toBeCloseTo(0.78, 12);
    expect(best?.met).toBe(true);
    expect(byName(list, "js backend")).toMatchObject({ value: 1, met: true });
    expect(byName(list, "1×1×1×1")).toMatchObject({ value: 0.6, met: true });
  });

  it("miss where the paired ratios miss: past 0.10, past 0.8, past 5% over the previous run", () => {
    const p = paired({ [DIRECT]: 1.32, [NUMPY_DIRECT]: 0.5, [GRAM]: 0.0505, [NUMPY_GRAM]: 0.05, "gram wasm f64 FMA, 2 threads": 0.0401 });
    const list = targets(MAIN, OVERHEAD, 2.5, p);
    expect(byName(list, `${DIRECT} time`)?.met).toBe(false); // 2.64 > 2.5 · 1.05
    expect(byName(list, `${GRAM} time`)?.met).toBe(false); // 0.101
    expect(byName(list, "best gram f64")).toMatchObject({ met: false }); // 0.802
  });

  it("has no numpy targets without the paired suite (no numpy here), whatever the main table holds", () => {
    const list = targets([...MAIN, { ...row(NUMPY_DIRECT, 0.5), contender: { baseline: "numpy", form: "direct", threads: 1 }, dtype: "f64" }], OVERHEAD, undefined, null);
    expect(list.map((t: { name: string }) => t.name)).toEqual(["js backend f64 time / row-streaming JS f64 time", "1×1×1×1 step, µs (median)"]);
  });

  it("read the previous run's direct ratio: the paired one, else the main table's, else none", () => {
    const dir = mkdtempSync(join(tmpdir(), "twolayer-targets-"));
    const file = (name: string, doc: unknown) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(doc));
      return path;
    };
    const runs = [{ label: DIRECT, p50: 1 }, { baseline: "numpy", form: "direct", dtype: "f64", threads: 1, p50: 0.4 }];
    expect(previousDirectRatio(file("paired.json", { runs, paired: { ratios: [ratio(DIRECT, NUMPY_DIRECT, 2.2), ratio(GRAM, NUMPY_DIRECT, 0.1)] } }))).toBe(2.2);
    expect(previousDirectRatio(file("main.json", { runs }))).toBe(2.5);
    expect(previousDirectRatio(file("older.json", { runs: [{ label: DIRECT, median: 1.1 }, { backend: "numpy", dtype: "f64", threads: 1, median: 0.5 }] }))).toBeCloseTo(2.2, 12);
    expect(previousDirectRatio(join(dir, "none.json"))).toBeUndefined();
    // Only a run on the same CPU is compared with; a file that names none is taken as it is.
    const xeon = file("xeon.json", { machine: { cpu: "Intel(R) Xeon(R) Processor" }, runs });
    expect(previousDirectRatio(xeon, "Intel(R) Xeon(R) Processor")).toBe(2.5);
    expect(previousDirectRatio(xeon, "AMD EPYC")).toBeUndefined();
    expect(previousDirectRatio(file("main.json", { runs }), "AMD EPYC")).toBe(2.5);
  });

  it("pair each round's runs: the ratio of the medians, and the rounds' own ratios' median and range", () => {
    const seconds = new Map([["ours", [0.05, 0.07, 0.06, 0.1]], ["numpy", [0.5, 0.5, 0.4, 0.8]]]);
    const rows = [row("ours", 0.065), row("numpy", 0.5)];
    const p = pairRatio("ours", "numpy", (label: string) => rows.find((r) => r.label === label), seconds);
    expect(p.ratio).toBeCloseTo(0.13, 12);
    expect(p.rounds.min).toBeCloseTo(0.1, 12); // 0.05 / 0.5
    expect(p.rounds.max).toBeCloseTo(0.15, 12); // 0.06 / 0.4
    expect(p.rounds.median).toBeCloseTo(0.1325, 12); // of 0.1, 0.125, 0.14 and 0.15
  });
});
