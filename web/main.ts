// The demo page: the numpy program's loop body, stepped line by line in a worker (engine.ts) with
// training's own kernels; the matrix a line wrote as a heatmap; the loss over the iterations beside
// numpy's; the state in the URL; downloads. The speed race (race.ts) sits below.
import { PROGRAM, pythonFloat, type ProgramMatrix } from "twolayer";
import { LossChart, type Series } from "./chart.js";
import type { EngineMessage, EngineRequest, EngineState } from "./engine.js";
import { Heatmap } from "./heatmap.js";
import numpy from "./numpy-losses.json";
import { lineText, ProgramView } from "./program-view.js";
import { demo, startRace } from "./race.js";
import { copyText, download, lossesCsv, lossesJson } from "./share.js";
import { DEFAULTS, isNumpyRun, optionsOf, PARAMS, parseValue, positionProblems, readQuery, writeQuery, type ParamName, type Values } from "./state.js";

const $ = <T extends HTMLElement = HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const form = $<HTMLFormElement>("#controls");
const errorBox = $<HTMLParagraphElement>("#error");
const program = new ProgramView($<HTMLOListElement>("#program"));
const heatmap = new Heatmap($("#heatmap"), $("#matrix-caption"), $("#readout"), $("#scale"));
const chart = new LossChart($<HTMLCanvasElement>("#chart"));
const matrixSelect = $<HTMLSelectElement>("#matrix");
const playButton = $<HTMLButtonElement>("#play");
const speedSelect = $<HTMLSelectElement>("#speed");
const scrub = $<HTMLInputElement>("#scrub");
const followBox = $<HTMLInputElement>("#follow");

const live: Series & { losses: number[] } = { label: "this page", color: "#38bdf8", losses: [] };
const numpySeries: Series = { label: `numpy ${numpy.numpyVersion}`, color: "#f8fafc", losses: [], dashed: true };

let values: Values = { ...DEFAULTS };
/** Saved weights the network starts from instead of the seed's (not in the link). */
let weights: { name: string; bytes: ArrayBuffer } | undefined;
let opened: Extract<EngineMessage, { type: "opened" }> | undefined;
let state: EngineState | undefined;
let awaitingOpen = false;
/** What is wrong with the link the page was opened with (until the form changes). */
let linkProblems: string[] = [];

const stepper = { get opened() { return opened; }, get state() { return state; }, losses: live.losses, values: () => values };
demo.stepper = stepper;

// Threads need SharedArrayBuffer, which browsers give only to cross-origin isolated pages.
function describeThreads(): void {
  const note = $<HTMLParagraphElement>("#threads-note");
  const reason = globalThis.crossOriginIsolated
    ? ""
    : "1 thread: this page is not cross-origin isolated (it is served without the COOP/COEP headers), so the browser withholds SharedArrayBuffer";
  (form.elements.namedItem("threads") as HTMLSelectElement).disabled = reason !== "";
  note.textContent = reason || `up to ${navigator.hardwareConcurrency} threads on this machine`;
  note.classList.toggle("warn", reason !== "");
}

function showErrors(messages: string[]): void {
  errorBox.textContent = messages.join(" · ");
  errorBox.hidden = messages.length === 0;
}

/** Form controls named as PARAMS. */
const controls = () => (Object.keys(PARAMS) as ParamName[]).flatMap((name) => {
  const control = form.elements.namedItem(name);
  return control instanceof HTMLInputElement || control instanceof HTMLSelectElement ? [[name, control] as const] : [];
});

function writeForm(): void {
  for (const [name, control] of controls()) {
    const value = values[name];
    control.value = typeof value === "number" && !Number.isInteger(value) ? pythonFloat(value) : String(value);
  }
}

function readForm(): void {
  for (const [name, control] of controls()) values[name] = parseValue(name, control.value);
}

const engine = new Worker(new URL("./engine.ts", import.meta.url), { type: "module" });
const send = (request: EngineRequest, transfer: Transferable[] = []) => engine.postMessage(request, transfer);

/** (Re)makes the network for `values` at their iteration and line. */
function openEngine(): void {
  const { net, loop } = optionsOf(values);
  const badPosition = positionProblems(values).length > 0;
  if (weights) for (const size of ["dIn", "hidden", "dOut"]) delete net[size]; // the file's
  awaitingOpen = true;
  opened = undefined;
  live.losses.length = 0;
  document.body.dataset.engine = "opening";
  showErrors(linkProblems);
  send({
    type: "open",
    net,
    ...loop,
    weights: weights?.bytes.slice(0),
    iteration: badPosition ? 0 : (values.iteration as number),
    line: badPosition ? 0 : (values.line as number),
    show: matrixSelect.value as ProgramMatrix,
    follow: followBox.checked,
  });
}

engine.onmessage = (event: MessageEvent<EngineMessage>) => {
  const message = event.data;
  if (message.type === "error") {
    awaitingOpen = false;
    document.body.dataset.engine = "error";
    showErrors([...linkProblems, message.message]);
    playButton.textContent = "Play";
    return;
  }
  if (message.type === "opened") {
    awaitingOpen = false;
    opened = message;
    if (weights) {
      // The file decides D_in, H and D_out: show them (only then, not to overwrite what is being typed).
      Object.assign(values, message.sizes);
      for (const [name, control] of controls()) if (name in message.sizes) control.value = String(values[name]);
    }
    const threads = `${message.threadsUsed} thread${message.threadsUsed === 1 ? "" : "s"}`;
    $("#engine-note").textContent = `${message.backend} · ${message.dtype} · ${threads}${message.fallbacks.length ? ` (${message.fallbacks.join("; ")})` : ""}`;
    $("#program-iterations").textContent = String(message.iterations);
    // The Gram form's iteration runs other kernels than the lines shown: it steps by iterations.
    const gram = message.algorithmUsed === "gram";
    $<HTMLButtonElement>("#step-line").disabled = gram;
    $("#step-line").title = gram ? "The Gram form (algorithm: gram) computes an iteration with other kernels than these lines: step it by iterations, or choose the program as written" : "";
    if (gram) $("#engine-note").textContent += " · Gram form: Step line steps the program as written only";
    scrub.max = String(message.iterations - 1);
    numpySeries.losses = isNumpyRun(values) && !weights ? numpy.losses : [];
    chart.reset(numpySeries.losses.length ? [live, numpySeries] : [live], message.iterations);
    $("#legend").innerHTML = [live, ...(numpySeries.losses.length ? [numpySeries] : [])]
      .map((s) => `<li><span class="swatch${s.dashed ? " dashed" : ""}" style="--c:${s.color}"></span>${s.label}</li>`).join("");
    $("#numpy-note").textContent = numpySeries.losses.length
      ? `The dashed line is numpy's own run (${numpy.source}).`
      : "numpy's 500 losses are shipped for seed 0 at the tutorial's sizes, learning rate and float64; this run is not that one.";
    return;
  }
  if (message.type === "weights") {
    download(`twolayer-weights-t${state?.iteration ?? 0}.npz`, message.bytes as Uint8Array<ArrayBuffer>, "application/octet-stream");
    return;
  }
  if (awaitingOpen) return; // the network before the last open
  state = message;
  live.losses.length = message.from;
  live.losses.push(...message.losses);
  render(message);
};

engine.onerror = (event) => showErrors([`the stepping worker failed: ${event.message || "could not start it"}`]);

/** The iteration whose loss line ran last (the matrices show it), or -1. */
const shownIteration = (s: EngineState) => (s.line > 3 ? s.iteration : s.iteration - 1);

function render(s: EngineState): void {
  program.show(s.ran, s.line);
  const iterations = opened?.iterations ?? 500;
  $("#position").textContent = s.iteration >= iterations && s.line === 0
    ? `iteration ${s.iteration}: the ${iterations} iterations are done`
    : `iteration ${s.iteration} · next line: ${lineText(s.line)}`;
  if (s.matrix) {
    const { name } = s.matrix;
    const note = name === "grad_h_relu" && s.line !== 6 ? "grad_h_relu shares grad_h's memory: after the mask line this is grad_h" :
      name === "grad_h" && s.line === 6 ? "before the mask line: this is still grad_h_relu" : "";
    heatmap.show(s.matrix, note);
    matrixSelect.value = name;
  }
  const t = shownIteration(s);
  chart.mark(t >= 0 ? t : undefined);
  chart.update();
  $("#now-iteration").textContent = t >= 0 ? String(t) : "—";
  const loss = live.losses[t];
  const theirs = numpySeries.losses[t];
  showNumber($("#now-loss"), loss);
  showNumber($("#now-numpy"), theirs);
  const diff = $<HTMLElement>("#now-diff");
  if (loss !== undefined && theirs !== undefined) {
    let worst = 0;
    for (let k = 0; k < live.losses.length; k++) worst = Math.max(worst, Math.abs(live.losses[k] / numpySeries.losses[k] - 1));
    diff.textContent = Math.abs(loss / theirs - 1).toExponential(1);
    diff.dataset.worst = String(worst);
    $("#numpy-note").textContent = `The dashed line is numpy's own run (${numpy.source}); the largest relative difference over the ${live.losses.length} iterations so far is ${worst.toExponential(1)}.`;
  } else diff.textContent = "—";
  if (t >= 0) scrub.value = String(t);
  scrub.setAttribute("aria-valuetext", t >= 0 ? `iteration ${t}, loss ${loss === undefined ? "unknown" : pythonFloat(loss)}` : "before the first iteration");
  playButton.textContent = s.playing ? "Pause" : "Play";
  playButton.setAttribute("aria-pressed", String(s.playing));
  document.body.dataset.engine = s.playing ? "playing" : "ready";
  if (s.played) $("#engine-note").dataset.played = `${s.played.iterations} iterations in ${s.played.seconds.toFixed(2)} s`;
  if (!weights) history.replaceState(null, "", `${location.pathname}${writeQuery({ ...values, iteration: s.iteration, line: s.line })}`);
}

function showNumber(dd: HTMLElement, value: number | undefined): void {
  dd.textContent = value === undefined ? "—" : pythonFloat(value);
  if (value === undefined) delete dd.dataset.value;
  else dd.dataset.value = String(value);
}

// Controls.
$("#step-line").addEventListener("click", () => send({ type: "line" }));
$("#step-iteration").addEventListener("click", () => send({ type: "iteration" }));
playButton.addEventListener("click", () => {
  if (state?.playing) return send({ type: "pause" });
  const iterations = opened?.iterations ?? 500;
  if (state && state.iteration >= iterations) send({ type: "jump", iteration: 0, line: 0 });
  send({ type: "play", speed: speedSelect.value === "lines" ? "lines" : Number(speedSelect.value) });
});
const jump = (t: number) => send({ type: "jump", iteration: t, line: PROGRAM.findIndex((e) => e.writes === "w1") });
chart.onPick(jump);
// The slider jumps once it rests (a drag or held key sends many input events).
let scrubTimer: ReturnType<typeof setTimeout> | undefined;
scrub.addEventListener("input", () => {
  clearTimeout(scrubTimer);
  scrubTimer = setTimeout(() => jump(Number(scrub.value)), 120);
});
const showMatrix = () => send({ type: "show", name: matrixSelect.value as ProgramMatrix, follow: followBox.checked });
matrixSelect.addEventListener("change", () => {
  followBox.checked = false; // the learner chose one: keep it
  showMatrix();
});
followBox.addEventListener("change", showMatrix);
document.addEventListener("keydown", (e) => {
  if (e.key === "s" && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) && !e.ctrlKey && !e.metaKey && !e.altKey) send({ type: "line" });
});

form.addEventListener("change", (e) => {
  if (e.target === $("#load-weights") || (e.target as HTMLInputElement).name === "race") return;
  readForm();
  values.iteration = 0;
  values.line = 0;
  linkProblems = [];
  openEngine();
});
form.addEventListener("submit", (e) => e.preventDefault());

$<HTMLInputElement>("#load-weights").addEventListener("change", async (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (!file) return;
  weights = { name: file.name, bytes: await file.arrayBuffer() };
  $("#weights-note").textContent = `From ${file.name} (not in the link: a link starts from the seed's draw).`;
  values.iteration = 0;
  values.line = 0;
  history.replaceState(null, "", location.pathname);
  openEngine();
});

$("#reset").addEventListener("click", () => {
  values = { ...DEFAULTS };
  weights = undefined;
  linkProblems = [];
  $<HTMLInputElement>("#load-weights").value = "";
  $("#weights-note").textContent = "From the seed's numpy draw.";
  writeForm();
  openEngine();
});

$("#train").addEventListener("click", () => {
  readForm();
  const { net, loop } = optionsOf(values);
  startRace({ ...net, ...loop }, $<HTMLInputElement>('input[name="race"]').checked);
});

const status = $("#share-status");
$("#copy-link").addEventListener("click", async () => {
  const copied = await copyText(location.href);
  status.textContent = weights ? `${copied ? "Copied" : "Copy this link"}: ${location.href} — it starts from the seed's draw, not from ${weights.name}.` : copied ? `Copied: ${location.href}` : `Copy this link: ${location.href}`;
});
$("#download-weights").addEventListener("click", () => send({ type: "weights" }));
const made = () => ({ ...optionsOf(values).net, ...optionsOf(values).loop, backend: opened?.backend, threadsUsed: opened?.threadsUsed, weights: weights?.name ?? null });
$("#download-csv").addEventListener("click", () => download("twolayer-losses.csv", lossesCsv(live.losses), "text/csv"));
$("#download-json").addEventListener("click", () => download("twolayer-losses.json", lossesJson(live.losses, made()), "application/json"));

// Start: the link's state over the tutorial's defaults.
describeThreads();
const read = readQuery(location.search);
values = read.values;
linkProblems = read.problems;
writeForm();
openEngine();
