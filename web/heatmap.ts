// One matrix as a heatmap: a diverging colour scale around 0 (blue below, orange above, dark at 0),
// cell by cell up to MAX_CELLS a side and sampled beyond (the caption says which rows and columns),
// grad_h's masked cells (h < 0) in grey. Pointer and arrow keys pick a cell; the readout gives its
// row, column and value as Python prints a float. The canvas's label is the text alternative.
import { pythonFloat } from "twolayer";
import type { MatrixShot } from "./engine.js";

const NEGATIVE = [59, 130, 246];
const ZERO = [22, 33, 58];
const POSITIVE = [249, 115, 22];
const MASKED = [100, 116, 139];

/** The colour of `v` on a scale from −limit (blue) through 0 to +limit (orange). */
function colour(v: number, limit: number): readonly number[] {
  if (!Number.isFinite(v)) return v > 0 ? [253, 230, 138] : v < 0 ? [165, 243, 252] : [240, 171, 252];
  // Twelve steps a side: what the eye tells apart; the readout gives the exact value.
  const s = limit > 0 ? Math.ceil(Math.min(1, Math.abs(v) / limit) * 12) / 12 : 0;
  const end = v < 0 ? NEGATIVE : POSITIVE;
  return [0, 1, 2].map((k) => Math.round(ZERO[k] + (end[k] - ZERO[k]) * Math.sqrt(s)));
}

const ordinal = (k: number) => `${k}${k % 10 === 1 && k !== 11 ? "st" : k % 10 === 2 && k !== 12 ? "nd" : k % 10 === 3 && k !== 13 ? "rd" : "th"}`;

/** How the heatmap shows the matrix, in words ("cell by cell", "every 8th row"). */
export function sampling({ stride: [sr, sc] }: MatrixShot): string {
  if (sr === 1 && sc === 1) return "cell by cell";
  const parts = [sr > 1 ? `every ${ordinal(sr)} row` : "", sc > 1 ? `every ${ordinal(sc)} column` : ""].filter(Boolean);
  return `downsampled: ${parts.join(", ")}`;
}

export class Heatmap {
  private shot?: MatrixShot;
  private cursor = { i: 0, j: 0 };
  private readonly context: CanvasRenderingContext2D;
  /** One pixel per cell, scaled up onto the canvas. */
  private readonly cells = document.createElement("canvas");

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly caption: HTMLElement,
    private readonly readout: HTMLElement,
    private readonly scale: HTMLElement,
  ) {
    this.context = canvas.getContext("2d")!;
    new ResizeObserver(() => this.draw()).observe(canvas);
    canvas.addEventListener("pointermove", (e) => this.pick(e));
    canvas.addEventListener("pointerdown", (e) => this.pick(e));
    canvas.addEventListener("keydown", (e) => this.key(e));
    canvas.addEventListener("focus", () => this.tell());
  }

  show(shot: MatrixShot, note = ""): void {
    this.shot = shot;
    const r = this.sampledRows();
    const c = this.sampledCols();
    this.cursor = { i: Math.min(this.cursor.i, r - 1), j: Math.min(this.cursor.j, c - 1) };
    const { name, rows, cols, min, max } = shot;
    this.caption.innerHTML = `<code>${name}</code> <span>${rows} × ${cols}</span> <span>min ${pythonFloat(min)}</span> <span>max ${pythonFloat(max)}</span> <span class="sampling">${sampling(shot)}</span>${note ? ` <span class="note">${note}</span>` : ""}`;
    const few = [0, 1, 2].filter((k) => k < shot.values.length).map((k) => `${this.nameAt(0, k)} = ${pythonFloat(shot.values[k])}`);
    this.canvas.setAttribute("aria-label", `heatmap of ${name}, ${rows} by ${cols}, min ${pythonFloat(min)}, max ${pythonFloat(max)}, ${sampling(shot)}; first values ${few.join(", ")}. Arrow keys read one cell.`);
    Object.assign(this.canvas.dataset, { name, rows: String(r), cols: String(c) });
    const limit = Math.max(Math.abs(min), Math.abs(max));
    this.scale.innerHTML = `<span>${pythonFloat(-limit)}</span><span class="bar"></span><span>${pythonFloat(limit)}</span>${shot.mask ? `<span class="masked-key"><i></i> h &lt; 0 (masked)</span>` : ""}`;
    this.draw();
    this.tell();
  }

  private sampledRows(): number { return this.shot ? Math.ceil(this.shot.rows / this.shot.stride[0]) : 1; }
  private sampledCols(): number { return this.shot ? Math.ceil(this.shot.cols / this.shot.stride[1]) : 1; }
  private nameAt(i: number, j: number): string {
    const s = this.shot!;
    return `${s.name}[${i * s.stride[0]}, ${j * s.stride[1]}]`;
  }

  /** The matrix's own aspect, within 60 … 420 px of height. */
  private draw(): void {
    const { canvas, context: g, shot } = this;
    if (!shot) return;
    const r = this.sampledRows();
    const c = this.sampledCols();
    const width = canvas.clientWidth;
    const height = Math.max(60, Math.min(420, Math.round((width * r) / c)));
    canvas.style.height = `${height}px`;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    const cw = width / c;
    const ch = height / r;
    const limit = Math.max(Math.abs(shot.min), Math.abs(shot.max));
    this.cells.width = c;
    this.cells.height = r;
    const cells = this.cells.getContext("2d")!;
    const image = cells.createImageData(c, r);
    for (let k = 0; k < r * c; k++) {
      image.data.set(shot.mask?.[k] ? MASKED : colour(shot.values[k], limit), 4 * k);
      image.data[4 * k + 3] = 255;
    }
    cells.putImageData(image, 0, 0);
    g.imageSmoothingEnabled = false;
    g.drawImage(this.cells, 0, 0, width, height);
    if (document.activeElement === canvas) {
      g.strokeStyle = "#f8fafc";
      g.lineWidth = 2;
      g.strokeRect(this.cursor.j * cw + 1, this.cursor.i * ch + 1, Math.max(2, cw - 2), Math.max(2, ch - 2));
    }
  }

  private pick(e: PointerEvent): void {
    if (!this.shot) return;
    const box = this.canvas.getBoundingClientRect();
    const j = Math.floor(((e.clientX - box.left) / box.width) * this.sampledCols());
    const i = Math.floor(((e.clientY - box.top) / box.height) * this.sampledRows());
    if (i < 0 || j < 0 || i >= this.sampledRows() || j >= this.sampledCols()) return;
    this.cursor = { i, j };
    this.tell();
  }

  private key(e: KeyboardEvent): void {
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[e.key];
    if (!move || !this.shot) return;
    e.preventDefault();
    const step = e.shiftKey ? 10 : 1;
    this.cursor = {
      i: Math.max(0, Math.min(this.sampledRows() - 1, this.cursor.i + move[0] * step)),
      j: Math.max(0, Math.min(this.sampledCols() - 1, this.cursor.j + move[1] * step)),
    };
    this.draw();
    this.tell();
  }

  /** The readout: the picked cell's row, column and value in Python's float format. */
  private tell(): void {
    const s = this.shot;
    if (!s) return;
    const { i, j } = this.cursor;
    const k = i * this.sampledCols() + j;
    const value = s.values[k];
    const row = i * s.stride[0];
    const col = j * s.stride[1];
    const masked = s.mask?.[k] ? (s.name === "grad_h" ? " — masked: h < 0 there, so grad_h is 0" : " — h < 0 there: the mask line will zero it") : "";
    this.readout.textContent = `${s.name}[${row}, ${col}] = ${pythonFloat(value)}${masked}`;
    Object.assign(this.readout.dataset, { row: String(row), col: String(col), value: String(value) });
  }
}
