// The speed race below the program: one Web Worker per lane (the chosen backend, and the pure-JS
// backend racing it), trained with twolayer's train() and drawn as they stream back.
import { LossChart, type Series } from "./chart.js";
import type { RunMessage, RunRequest } from "./worker.js";

type LaneName = "main" | "js";

interface Lane {
  name: LaneName;
  element: HTMLElement;
  series: Series;
  worker?: Worker;
  iterations: number;
  seconds?: number;
  gflops?: number;
  done: boolean;
  /** The finished run, for anyone who wants the numbers (the runtime tests read them). */
  result?: { losses: number[]; backend: string; seconds: number; gflops: number; threadsUsed: number };
}

const COLORS: Record<LaneName, string> = { main: "#38bdf8", js: "#f59e0b" };
const $ = <T extends Element>(selector: string, root: ParentNode = document) => root.querySelector<T>(selector)!;

const trainButton = $<HTMLButtonElement>("#train");
const stopButton = $<HTMLButtonElement>("#stop");
const errorBox = $<HTMLParagraphElement>("#error");
const speedup = $<HTMLParagraphElement>("#speedup");
const chart = new LossChart($<HTMLCanvasElement>("#race-chart"));

const lanes: Record<LaneName, Lane> = {
  main: { name: "main", element: $("#lane-main"), series: { label: "WebAssembly", color: COLORS.main, losses: [] }, iterations: 500, done: false },
  js: { name: "js", element: $("#lane-js"), series: { label: "plain JavaScript", color: COLORS.js, losses: [] }, iterations: 500, done: false },
};
for (const lane of Object.values(lanes)) lane.element.style.setProperty("--lane", COLORS[lane.name]);

/** What the tests and the curious can read: the last finished runs. */
export const demo: { lanes: typeof lanes; state: "idle" | "training" | "done" | "error"; stepper?: unknown } = { lanes, state: "idle" };
(window as unknown as { twolayerDemo: typeof demo }).twolayerDemo = demo;


const format = {
  loss: (x: number) => (x >= 1e5 || x < 1e-2 ? x.toExponential(3).replace("e", "·10^").replace(/\^\+?(-?\d+)/, (_, k) => `^${k}`) : x.toPrecision(5)),
  seconds: (s: number) => (s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`),
  gflops: (g: number) => (g >= 10 ? g.toFixed(1) : g.toFixed(2)),
};

function showLoss(dd: HTMLElement, loss: number): void {
  const text = format.loss(loss);
  const [mantissa, exponent] = text.split("·10^");
  dd.innerHTML = exponent === undefined ? mantissa : `${mantissa}<span class="times">×10</span><sup>${exponent.replace("-", "−")}</sup>`;
  dd.dataset.value = String(loss); // the exact double, for the tests
}

function render(lane: Lane, elapsed?: number, gflops?: number): void {
  const e = lane.element;
  const t = lane.series.losses.length;
  $<HTMLElement>(".iteration", e).textContent = `${t.toLocaleString("en-US")} / ${lane.iterations.toLocaleString("en-US")}`;
  $<HTMLElement>(".fill", e).style.width = `${(100 * t) / lane.iterations}%`;
  if (elapsed !== undefined) $<HTMLElement>(".elapsed", e).textContent = format.seconds(elapsed);
  if (gflops !== undefined) $<HTMLElement>(".gflops", e).textContent = format.gflops(gflops);
  if (t > 0) showLoss($<HTMLElement>(".loss", e), lane.series.losses[t - 1]);
  e.classList.toggle("done", lane.done);
}

function renderSpeedup(): void {
  const { main, js } = lanes;
  if (main.element.hidden || js.element.hidden || !main.gflops || !js.gflops) {
    speedup.hidden = true;
    return;
  }
  const ratio = main.gflops / js.gflops;
  const name = main.result?.backend ?? $<HTMLElement>(".backend", main.element).textContent;
  speedup.hidden = false;
  speedup.innerHTML = main.done && js.done
    ? `<strong>${ratio.toFixed(1)}×</strong> the throughput of plain JavaScript — ${name} finished in ${format.seconds(main.seconds!)}, JavaScript in ${format.seconds(js.seconds!)}`
    : `<strong>${ratio.toFixed(1)}×</strong> the throughput of plain JavaScript so far`;
}

function stopAll(): void {
  for (const lane of Object.values(lanes)) {
    lane.worker?.terminate();
    lane.worker = undefined;
  }
  trainButton.disabled = false;
  stopButton.disabled = true;
}

function fail(message: string): void {
  stopAll();
  errorBox.textContent = message;
  errorBox.hidden = false;
  demo.state = "error";
  document.body.dataset.state = "error";
}

function finishIfAllDone(): void {
  const running = Object.values(lanes).filter((l) => !l.element.hidden);
  if (running.every((l) => l.done)) {
    stopAll();
    demo.state = "done";
    document.body.dataset.state = "done";
  }
}

function startLane(lane: Lane, request: RunRequest): void {
  lane.iterations = request.options.iterations ?? 500;
  lane.series.losses = [];
  lane.done = false;
  lane.seconds = lane.gflops = lane.result = undefined;
  render(lane);
  $<HTMLElement>(".elapsed", lane.element).textContent = "—";
  $<HTMLElement>(".gflops", lane.element).textContent = "—";
  $<HTMLElement>(".loss", lane.element).textContent = "—";
  const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  lane.worker = worker;
  worker.onmessage = (event: MessageEvent<RunMessage>) => {
    const message = event.data;
    if (message.type === "progress") {
      lane.series.losses.push(...message.losses);
      lane.gflops = message.gflops;
      render(lane, message.elapsed, message.gflops);
      renderSpeedup();
      chart.update();
    } else if (message.type === "done") {
      lane.series.losses = Array.from(message.losses);
      lane.done = true;
      lane.seconds = message.seconds;
      lane.gflops = message.gflops;
      lane.result = { losses: lane.series.losses, backend: message.backend, seconds: message.seconds, gflops: message.gflops, threadsUsed: message.threadsUsed };
      const threads = `${message.threadsUsed} thread${message.threadsUsed === 1 ? "" : "s"}`;
      $<HTMLElement>(".backend", lane.element).textContent = `${message.backend} · ${threads}`;
      render(lane, message.seconds, message.gflops);
      if (message.note && (lane.name === "main" || errorBox.hidden)) {
        errorBox.textContent = `${lane.series.label}: ${message.note}`;
        errorBox.hidden = false;
      }
      renderSpeedup();
      chart.update();
      worker.terminate();
      finishIfAllDone();
    } else {
      fail(message.message);
    }
  };
  worker.onerror = (event) => fail(`the training worker failed: ${event.message || "could not start it"}`);
  worker.postMessage(request);
}

/** Races `options` (train()'s, with the loop's) against the pure-JS backend when `race`. */
export function startRace(options: Record<string, unknown>, race: boolean): void {
  stopAll();
  errorBox.hidden = true;
  const main = lanes.main;
  const mainName = options.backend === "js" ? "plain JavaScript" : options.simd === false ? "WebAssembly, scalar" : "WebAssembly";
  $<HTMLElement>(".name", main.element).textContent = mainName;
  $<HTMLElement>(".backend", main.element).textContent = options.backend === "js" ? "js" : "wasm";
  main.series.label = mainName;
  const racing = race && options.backend !== "js";
  lanes.js.element.hidden = !racing;
  speedup.hidden = true;
  const series = racing ? [main.series, lanes.js.series] : [main.series];
  chart.reset(series, Number(options.iterations));
  renderLegend(series);
  trainButton.disabled = true;
  stopButton.disabled = false;
  demo.state = "training";
  document.body.dataset.state = "training";
  const { threads, ...rest } = options;
  startLane(main, { options: rest, ...(threads !== undefined ? { threads: threads as number | "auto" } : {}) });
  if (racing) startLane(lanes.js, { options: { ...rest, backend: "js", simd: undefined } });
}

stopButton.addEventListener("click", () => {
  stopAll();
  demo.state = "idle";
  document.body.dataset.state = "idle";
});

function renderLegend(series: Series[]): void {
  $<HTMLUListElement>("#race-legend").innerHTML = series
    .map((s) => `<li><span class="swatch" style="background:${s.color}"></span>${s.label}</li>`)
    .join("");
}

chart.reset([lanes.main.series, lanes.js.series], 500);
renderLegend([lanes.main.series, lanes.js.series]);
