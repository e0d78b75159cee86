// The bench page: starts the worker (bench-worker.ts) with the form's settings and fills the table
// as rows come back, with the columns twolayer/bench prints in `twolayer bench`. `?iterations=N&quick&run`
// in the URL sets the form and starts at once (the runtime tests use it).
import { PAGE_CONTENDERS, SEED_RUN_COLUMNS, labelOf, runtimeName, type SeedRunResult } from "twolayer/bench";
import type { BenchMessage, BenchRequest } from "./bench-worker.js";

const $ = <T extends Element>(selector: string) => document.querySelector<T>(selector)!;
const form = $<HTMLFormElement>("#controls");
const button = $<HTMLButtonElement>("#run");
const status = $<HTMLParagraphElement>("#status");
const errorBox = $<HTMLParagraphElement>("#error");
const table = $<HTMLTableElement>("#results");

/** What the tests and the curious can read: the state and the finished rows. */
const bench = { state: "idle" as "idle" | "running" | "done" | "error", rows: [] as SeedRunResult[] };
(window as unknown as { twolayerBench: typeof bench }).twolayerBench = bench;

function setState(state: typeof bench.state): void {
  bench.state = state;
  document.body.dataset.state = state;
  button.disabled = state === "running";
}

$<HTMLParagraphElement>("#machine").textContent = `${navigator.hardwareConcurrency} logical cores; ${runtimeName()}`;

function cell(tag: "th" | "td", text: string): HTMLElement {
  const element = document.createElement(tag);
  element.textContent = text;
  return element;
}

/** The table as far as rows have come: finished rows with their figures, the others pending. */
function render(rows: readonly SeedRunResult[]): void {
  table.tHead!.replaceChildren(Object.assign(document.createElement("tr"), {}));
  table.tHead!.rows[0].append(cell("th", "run"), ...SEED_RUN_COLUMNS.map((c) => cell("th", c.header)));
  const body = PAGE_CONTENDERS.map((contender) => {
    const label = labelOf(contender);
    const row = rows.find((r) => r.label === label);
    const tr = document.createElement("tr");
    tr.append(cell("td", label));
    if (row === undefined) {
      tr.dataset.pending = "";
      tr.append(...SEED_RUN_COLUMNS.map(() => cell("td", "…")));
    } else {
      // Every finished row was checked against numpy's losses before it was timed (and after each run).
      tr.dataset.checked = "numpy";
      tr.append(...SEED_RUN_COLUMNS.map((c) => cell("td", row.skipped !== undefined ? `skipped: ${row.skipped}` : c.cell(row, rows))));
    }
    return tr;
  });
  table.tBodies[0].replaceChildren(...body);
  table.hidden = false;
}

function start(request: BenchRequest): void {
  setState("running");
  errorBox.textContent = "";
  bench.rows = [];
  render([]);
  status.textContent = `Checking and timing ${PAGE_CONTENDERS.length} runs of ${request.iterations} iterations…`;
  const worker = new Worker(new URL("./bench-worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = (event: MessageEvent<BenchMessage>) => {
    const message = event.data;
    if (message.type === "row") {
      bench.rows.push(message.row);
      render(bench.rows);
      status.textContent = `${message.index + 1} of ${message.count} runs timed…`;
    } else if (message.type === "done") {
      bench.rows = message.rows;
      render(bench.rows);
      status.textContent = `Done: ${request.iterations} iterations per run, tinybench's statistics of each run's time (seconds).`;
      setState("done");
      worker.terminate();
    } else {
      errorBox.textContent = message.message;
      setState("error");
      worker.terminate();
    }
  };
  worker.onerror = (event) => {
    errorBox.textContent = event.message || "the benchmark worker failed";
    setState("error");
  };
  worker.postMessage(request);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const data = new FormData(form);
  start({ iterations: Number(data.get("iterations")), quick: data.get("quick") === "on" });
});

const params = new URLSearchParams(location.search);
if (params.has("iterations")) $<HTMLInputElement>('input[name="iterations"]').value = params.get("iterations")!;
if (params.has("quick")) $<HTMLInputElement>('input[name="quick"]').checked = true;
if (params.has("run")) form.requestSubmit();
