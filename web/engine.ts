// The stepper's network, in a Web Worker of its own: it runs the loop body one PROGRAM line, one
// iteration, or many iterations at a time (net.runLine and net.step: training's own kernels), keeps
// the losses, and sends back a copy of the one matrix the page shows, at most once per message.
//
// Jumping to iteration t: we keep the weights at every CHECKPOINT-th iteration as they are first
// reached, restore the nearest one at or before t and run the iterations from there, so a jump
// re-runs at most CHECKPOINT − 1 iterations and lands on the same bits as a run from the start.
import { PROGRAM, TwoLayerNet, TwoLayerError, type FloatArray, type ProgramMatrix } from "twolayer";

export type EngineRequest =
  | { type: "open"; net: Record<string, unknown>; learningRate: unknown; iterations: unknown; weights?: ArrayBuffer; iteration: number; line: number; show: ProgramMatrix; follow: boolean }
  | { type: "line" }
  | { type: "iteration" }
  | { type: "play"; speed: number | "lines" }
  | { type: "pause" }
  | { type: "jump"; iteration: number; line: number }
  | { type: "show"; name: ProgramMatrix; follow: boolean }
  | { type: "weights" };

/** A matrix as shown: every `stride[0]`-th row and `stride[1]`-th column of it (1 and 1 when small). */
export interface MatrixShot {
  name: ProgramMatrix;
  rows: number;
  cols: number;
  stride: [number, number];
  /** The sampled values, row-major, Math.ceil(rows / stride[0]) × Math.ceil(cols / stride[1]). */
  values: Float64Array;
  /** Over the whole matrix, not only the sample. */
  min: number;
  max: number;
  /** grad_h and grad_h_relu: 1 where h < 0 (where the mask line zeroes grad_h), per sampled cell. */
  mask?: Uint8Array;
}

export interface EngineState {
  type: "state";
  /** The iteration in progress (the updates done so far) and the PROGRAM line it runs next. */
  iteration: number;
  line: number;
  /** The line that ran last (-1: none since the network was made or restored). */
  ran: number;
  playing: boolean;
  /** Losses known so far, losses[t] for t from 0; only those from `from` on are sent. */
  from: number;
  losses: number[];
  matrix?: MatrixShot;
  /** Wall-clock seconds of the last play, and its iterations (for iterations/s). */
  played?: { iterations: number; seconds: number };
}

export type EngineMessage =
  | ({ type: "opened"; backend: string; threadsUsed: number; dtype: string; algorithmUsed: string; fallbacks: readonly string[]; sizes: { n: number; dIn: number; hidden: number; dOut: number }; iterations: number; learningRate: number })
  | EngineState
  | { type: "weights"; bytes: Uint8Array }
  | { type: "error"; message: string; code?: string };

/** Cells a heatmap shows at most per side; a longer side is sampled every k-th index. */
export const MAX_CELLS = 128;
const CHECKPOINT = 25;
/** Keep at most this many bytes of weight checkpoints (more iterations: checkpoints further apart). */
const CHECKPOINT_BYTES = 256 * 2 ** 20;

const post = (message: EngineMessage, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);
const now = () => performance.now();
/** A macrotask without setTimeout's clamping, so a pause message gets through between slices. */
const yieldNow = () => new Promise<void>((resolve) => { const c = new MessageChannel(); c.port1.onmessage = () => resolve(); c.port2.postMessage(0); });
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let net: TwoLayerNet | undefined;
let lr = 1e-6;
let iterations = 500;
let t = 0;
let ran = -1;
let losses: number[] = [];
let sentLosses = 0;
let show: ProgramMatrix = "w1";
/** Whether each line run shows the matrix it wrote. */
let follow = true;
let every = CHECKPOINT;
const checkpoints = new Map<number, { w1: FloatArray; w2: FloatArray }>();
let playToken = 0;
let playing = false;

function view(name: ProgramMatrix): FloatArray {
  const n = net!;
  switch (name) {
    case "x": return n.x;
    case "y": return n.y;
    case "w1": return n.w1;
    case "w2": return n.w2;
    case "h": return n.h;
    case "h_relu": return n.hRelu;
    case "y_pred": return n.yPred;
    case "grad_y_pred": return n.gradYPred;
    case "grad_w2": return n.gradW2;
    case "grad_h_relu": case "grad_h": return n.gradH; // one block: grad_h_relu until the mask line runs
    case "grad_w1": return n.gradW1;
  }
}

function shape(name: ProgramMatrix): [number, number] {
  const { n, dIn, hidden, dOut } = net!;
  const shapes: Record<ProgramMatrix, [number, number]> = {
    x: [n, dIn], y: [n, dOut], w1: [dIn, hidden], w2: [hidden, dOut], h: [n, hidden], h_relu: [n, hidden], y_pred: [n, dOut],
    grad_y_pred: [n, dOut], grad_w2: [hidden, dOut], grad_h_relu: [n, hidden], grad_h: [n, hidden], grad_w1: [dIn, hidden],
  };
  return shapes[name];
}

/** The shown matrix, sampled to at most MAX_CELLS a side: the one copy a message makes. */
function shot(): MatrixShot {
  const name = show;
  const data = view(name);
  const [rows, cols] = shape(name);
  const stride: [number, number] = [Math.ceil(rows / MAX_CELLS), Math.ceil(cols / MAX_CELLS)];
  const r = Math.ceil(rows / stride[0]);
  const c = Math.ceil(cols / stride[1]);
  const values = new Float64Array(r * c);
  const h = name === "grad_h" || name === "grad_h_relu" ? net!.h : undefined;
  const mask = h ? new Uint8Array(r * c) : undefined;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const at = i * stride[0] * cols + j * stride[1];
      values[i * c + j] = data[at];
      if (mask) mask[i * c + j] = h![at] < 0 ? 1 : 0;
    }
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { name, rows, cols, stride, values, min, max, mask };
}

function sendState(played?: EngineState["played"], withMatrix = true): void {
  const matrix = withMatrix ? shot() : undefined;
  const from = Math.min(sentLosses, losses.length);
  post({ type: "state", iteration: t, line: net!.nextLine, ran, playing, from, losses: losses.slice(from), matrix, played }, matrix ? [matrix.values.buffer] : []);
  sentLosses = losses.length;
}

/**
 * One PROGRAM line; the loss line records the loss, the last line ends the iteration. A Gram-form
 * network's iteration is other kernels than these lines (net.runLine refuses it): a whole iteration.
 */
function runLine(): void {
  const n = net!;
  if (n.algorithmUsed === "gram") return runIteration();
  const line = n.nextLine;
  if (line === 0) keepCheckpoint();
  const loss = n.runLine(line, lr);
  if (follow) show = PROGRAM[line].writes;
  if (loss !== undefined && t === losses.length) losses.push(loss);
  ran = line;
  if (n.nextLine === 0) t++;
}

/** The rest of the iteration in progress, or a whole one: net.step, as training runs it. */
function runIteration(): void {
  const n = net!;
  if (n.nextLine !== 0) {
    while (n.nextLine !== 0) runLine();
    return;
  }
  keepCheckpoint();
  const loss = n.step(lr);
  if (t === losses.length) losses.push(loss);
  ran = PROGRAM.length - 1;
  t++;
}

function keepCheckpoint(): void {
  if (t % every !== 0 || checkpoints.has(t)) return;
  checkpoints.set(t, { w1: net!.w1.slice(), w2: net!.w2.slice() });
}

/** Goes to (iteration, line): the checkpoint at or before it, then lines and iterations from there. */
function jump(iteration: number, line: number): void {
  const n = net!;
  if (n.nextLine !== 0) runIteration(); // the weights may only be restored at an iteration's start
  if (iteration < t || line < n.nextLine || iteration >= t + every) {
    const start = Math.floor(iteration / every) * every;
    const saved = checkpoints.get(start);
    if (saved && start <= iteration) {
      n.w1.set(saved.w1);
      n.w2.set(saved.w2);
      t = start;
    }
  }
  while (t < iteration) runIteration();
  if (n.algorithmUsed !== "gram") while (n.nextLine < line) runLine();
}

async function play(speed: number | "lines"): Promise<void> {
  const token = ++playToken;
  playing = true;
  const started = now();
  const first = t;
  let done = 0;
  while (token === playToken && t < iterations) {
    if (speed === "lines") {
      runLine();
      sendState();
      await sleep(500);
      continue;
    }
    const sliceStart = now();
    if (speed === Infinity) {
      // Slices of 250 ms: the page redraws 4 times a second, so that drawing takes no core from training.
      while (t < iterations && now() - sliceStart < 250) runIteration();
    } else {
      // As many iterations as `speed` per second asks for by now, redrawn at most 60 times a second.
      const due = Math.floor(((now() - started) / 1000) * speed) + 1;
      while (t < iterations && done < due) {
        runIteration();
        done++;
      }
    }
    sendState();
    await (speed === Infinity ? yieldNow() : sleep(Math.max(16, 1000 / speed)));
  }
  if (token === playToken) {
    playing = false;
    sendState({ iterations: t - first, seconds: (now() - started) / 1000 });
  }
}

async function open(request: Extract<EngineRequest, { type: "open" }>): Promise<void> {
  playToken++;
  playing = false;
  net?.dispose();
  net = undefined;
  checkpoints.clear();
  losses = [];
  sentLosses = 0;
  t = 0;
  ran = -1;
  ({ show, follow } = request);
  const made = await TwoLayerNet.create({ ...request.net, ...(request.weights ? { weights: new Uint8Array(request.weights) } : {}) });
  try {
    // Validates the loop's options as training would, without running an iteration (the signal is aborted already).
    const checked = await made.train({ iterations: request.iterations as number, learningRate: request.learningRate as number, signal: AbortSignal.abort() });
    lr = checked.config.learningRate;
    iterations = checked.config.iterations;
  } catch (error) {
    made.dispose();
    throw error;
  }
  net = made;
  const weightBytes = (made.dIn * made.hidden + made.hidden * made.dOut) * (made.dtype === "f64" ? 8 : 4);
  every = Math.max(CHECKPOINT, Math.ceil((weightBytes * Math.ceil(iterations / CHECKPOINT)) / CHECKPOINT_BYTES) * CHECKPOINT);
  const { backend, threadsUsed, dtype, algorithmUsed, fallbacks, n, dIn, hidden, dOut } = made;
  post({ type: "opened", backend, threadsUsed, dtype, algorithmUsed, fallbacks, sizes: { n, dIn, hidden, dOut }, iterations, learningRate: lr });
  jump(Math.min(request.iteration, Math.max(0, iterations - 1)), request.line);
  sendState();
}

self.onmessage = async (event: MessageEvent<EngineRequest>) => {
  const request = event.data;
  try {
    if (request.type === "open") return await open(request);
    if (!net) return;
    switch (request.type) {
      case "line": playToken++; playing = false; runLine(); return sendState();
      case "iteration": playToken++; playing = false; runIteration(); return sendState();
      case "play": return await play(request.speed);
      case "pause": playToken++; playing = false; return sendState();
      case "jump": playToken++; playing = false; jump(request.iteration, request.line); return sendState();
      case "show": ({ name: show, follow } = request); return sendState();
      case "weights": {
        const bytes = net.saveWeights();
        return post({ type: "weights", bytes }, [bytes.buffer as ArrayBuffer]);
      }
    }
  } catch (error) {
    playToken++;
    playing = false;
    post({ type: "error", message: error instanceof Error ? error.message : String(error), code: error instanceof TwoLayerError ? error.code : undefined });
  }
};
