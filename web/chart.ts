// A log-scale loss chart on a canvas: one line per series, decade grid lines, redrawn at most once a
// frame however often data arrives; optionally a marker at one iteration, and a click picks one.

export interface Series {
  label: string;
  color: string;
  losses: number[];
  /** Drawn thin and dashed, over the others (a reference such as numpy's). */
  dashed?: boolean;
}

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const power = (k: number) => `10${k < 0 ? "⁻" : ""}${String(Math.abs(k)).split("").map((d) => SUPERSCRIPT[Number(d)]).join("")}`;

export class LossChart {
  private series: Series[] = [];
  private iterations = 500;
  private queued = false;
  private marker?: number;
  private readonly pad = { left: 58, right: 18, top: 16, bottom: 34 };
  private readonly context: CanvasRenderingContext2D;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.context = canvas.getContext("2d")!;
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  /** Calls `pick(t)` with the iteration under a click. */
  onPick(pick: (t: number) => void): void {
    this.canvas.addEventListener("click", (e) => {
      const box = this.canvas.getBoundingClientRect();
      const plotW = box.width - this.pad.left - this.pad.right;
      const t = Math.round(((e.clientX - box.left - this.pad.left) / plotW) * (this.iterations - 1));
      pick(Math.max(0, Math.min(this.iterations - 1, t)));
    });
  }

  /** A vertical line at iteration `t` (undefined: none). */
  mark(t: number | undefined): void {
    this.marker = t;
    this.update();
  }

  /** Starts over with these series (their losses arrays are read at every draw) over `iterations`. */
  reset(series: Series[], iterations: number): void {
    this.series = series;
    this.iterations = Math.max(1, iterations);
    this.update();
  }

  /** Asks for a redraw on the next frame. */
  update(): void {
    if (this.queued) return;
    this.queued = true;
    requestAnimationFrame(() => {
      this.queued = false;
      this.draw();
    });
  }

  private draw(): void {
    const { canvas, context: g } = this;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);

    const pad = this.pad;
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;

    // The y range: whole decades around every positive finite loss (1 … 10⁸ before any data).
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of this.series) {
      for (const loss of s.losses) {
        if (loss > 0 && Number.isFinite(loss)) {
          if (loss < lo) lo = loss;
          if (loss > hi) hi = loss;
        }
      }
    }
    let top = Number.isFinite(hi) ? Math.ceil(Math.log10(hi)) : 8;
    let bottom = Number.isFinite(lo) ? Math.floor(Math.log10(lo)) : 0;
    if (top - bottom < 2) bottom = top - 2;
    const x = (t: number) => pad.left + (t / Math.max(1, this.iterations - 1)) * plotW;
    const y = (loss: number) => pad.top + ((top - Math.log10(loss)) / (top - bottom)) * plotH;

    // Grid: a line and a label per decade (every other one when they crowd), faint minor lines.
    g.font = "12px ui-sans-serif, system-ui, sans-serif";
    g.textBaseline = "middle";
    g.textAlign = "right";
    // A labelled line every `step` decades: at most about 8 of them, however far the loss ranges.
    const step = Math.max(1, Math.ceil((top - bottom) / 8));
    for (let k = bottom; k <= top; k++) {
      if ((k - bottom) % step !== 0) continue;
      const yk = y(10 ** k);
      g.strokeStyle = "rgba(148, 163, 184, 0.16)";
      g.lineWidth = 1;
      g.beginPath();
      g.moveTo(pad.left, Math.round(yk) + 0.5);
      g.lineTo(pad.left + plotW, Math.round(yk) + 0.5);
      g.stroke();
      g.fillStyle = "#94a3b8";
      g.fillText(power(k), pad.left - 10, yk);
      if (k < top && step === 1) {
        g.strokeStyle = "rgba(148, 163, 184, 0.06)";
        for (let m = 2; m < 10; m++) {
          const ym = Math.round(y(m * 10 ** k)) + 0.5;
          g.beginPath();
          g.moveTo(pad.left, ym);
          g.lineTo(pad.left + plotW, ym);
          g.stroke();
        }
      }
    }
    // x axis: iteration ticks at round numbers.
    g.textAlign = "center";
    g.textBaseline = "top";
    const roughStep = this.iterations / 5;
    const magnitude = 10 ** Math.floor(Math.log10(Math.max(1, roughStep)));
    const tick = [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= roughStep) ?? magnitude * 10;
    for (let t = 0; t < this.iterations; t += tick) {
      g.fillStyle = "#94a3b8";
      g.fillText(String(t), x(t), pad.top + plotH + 10);
    }
    g.fillStyle = "#64748b";
    g.textAlign = "right";
    g.fillText("iteration", pad.left + plotW, pad.top + plotH + 10);

    // The series: later ones underneath, so the first (the main run) stays on top.
    g.save();
    g.beginPath();
    g.rect(pad.left, pad.top - 2, plotW, plotH + 4);
    g.clip();
    // The others are drawn wide and translucent, so where they trace the same losses as the main run
    // (as the pure-JS backend does) both stay visible.
    const order = [...this.series.filter((s) => !s.dashed)].reverse().concat(this.series.filter((s) => s.dashed));
    order.forEach((s) => {
      if (s.losses.length === 0) return;
      const main = s === this.series.find((x) => !x.dashed);
      g.globalAlpha = main || s.dashed ? 1 : 0.55;
      g.strokeStyle = s.color;
      g.lineWidth = s.dashed ? 1.5 : main ? 2.25 : 6;
      g.setLineDash(s.dashed ? [5, 4] : []);
      g.lineJoin = "round";
      g.beginPath();
      let drawing = false;
      // Enough points for the pixels there are; more would only cost time.
      const every = Math.max(1, Math.floor(s.losses.length / (plotW * 2)));
      for (let t = 0; t < s.losses.length; t += every) {
        const loss = s.losses[t];
        if (!(loss > 0) || !Number.isFinite(loss)) { drawing = false; continue; }
        if (drawing) g.lineTo(x(t), y(loss));
        else g.moveTo(x(t), y(loss));
        drawing = true;
      }
      const last = s.losses.length - 1;
      if (last % every !== 0 && s.losses[last] > 0) g.lineTo(x(last), y(s.losses[last]));
      g.stroke();
      g.setLineDash([]);
      if (s.dashed) return;
      // A dot at the head of the line.
      const head = s.losses[last];
      if (head > 0 && Number.isFinite(head)) {
        g.fillStyle = s.color;
        g.beginPath();
        g.arc(x(last), y(head), main ? 4 : 5, 0, 2 * Math.PI);
        g.fill();
      }
    });
    g.globalAlpha = 1;
    if (this.marker !== undefined) {
      g.strokeStyle = "rgba(248, 250, 252, 0.7)";
      g.lineWidth = 1;
      g.beginPath();
      g.moveTo(Math.round(x(this.marker)) + 0.5, pad.top);
      g.lineTo(Math.round(x(this.marker)) + 0.5, pad.top + plotH);
      g.stroke();
    }
    g.restore();
  }
}
