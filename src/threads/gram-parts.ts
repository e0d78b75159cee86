// The Gram form on several threads, cut by hidden units: part p of P owns the columns
// [⌊p·H/P⌋, ⌊(p+1)·H/P⌋) of h, h_relu, grad_h, S and the next h, in N×H_p blocks of its own (so the
// threads do not write into each other's rows), and the same rows of w2 and grad_w2 (contiguous
// already). Every line of the Gram form but the loss is a sum over one hidden unit's column or row,
// so each thread runs the lines of gram-program.ts on its own part with the one-thread kernels; only
// y_pred (each part's partial sum, added in part order on the main thread) and grad_y_pred cross
// between cores, 2·N·D_out numbers an iteration, where cutting each product over the threads would
// move all of grad_h and h every iteration (the previous round's split of the h update by rows,
// measured slower than one thread).
//
// Bits: y_pred = ((y_0 + y_1) + …) sums each element's H terms in P runs, so losses and weights
// differ from one thread's in their last bits, the same in every run for a given P. Everything else
// is computed element by element as on one thread.
//
// Two pool jobs a training iteration, each part one chunk that its thread runs in order: the forward
// pass up to y_pred (after the last update's S), then grad_w2, grad_h, the checks and the h update;
// the loss and w2's update (H·D_out numbers) run on the main thread. What the rest of the package
// reads (h, h_relu, grad_h; S, for w1) is gathered from the parts when read, and what the state is
// built with (the next h, S) scattered to them.
import type { WasmExports } from "../builds/builds.js";
import { gramScratchLength, type Block, type DType, type NetKernels } from "../kernels.js";
import type { GramBlocks, NetBlocks } from "../layout.js";
import { GRAM_BACKWARD, GRAM_FORWARD, GRAM_LOSS, GRAM_UPDATE, GRAM_UPDATE_CHECKS, type GramLine } from "../gram-program.js";
import { refusedValue } from "../gram.js";
import { Arena, type Space } from "../memory.js";
import type { ProgramSizes } from "../program.js";
import type { Op, ThreadPool } from "./pool.js";

/** Below this many multiply-adds in the h update (N²·H) the Gram form runs on the main thread alone. */
const MIN_PART_MACS = 1 << 18;

/** How many parts the Gram form of a network of these sizes runs in on `threads` threads (1: not split). */
export function gramPartCount({ n, hidden }: ProgramSizes, threads: number): number {
  return n * n * hidden < MIN_PART_MACS ? 1 : Math.min(threads, hidden);
}

/** The matrices a part owns, N×H_p (h_next and S are the state; h, h_relu and grad_h a pass's). */
const OWN = ["h", "hRelu", "gradH", "s", "hNext"] as const;
type Own = (typeof OWN)[number];

interface Part {
  /** Its first hidden unit (column of h, row of w2). */
  readonly c0: number;
  readonly sizes: ProgramSizes;
  /** The network's blocks, with its own matrices, its rows of w2 and grad_w2, and its partial y_pred. */
  readonly b: NetBlocks & GramBlocks;
}

/** An update the checks refused: the matrix, the index in it (as one thread reports it) and the value. */
export interface GramRefusal {
  readonly matrix: "w2" | "S" | "h_next";
  readonly index: number;
  readonly value: number;
}

const line = (writes: string) => GRAM_UPDATE.find((l) => l.writes === writes)!;
const [H_LINE, S_LINE, W2_LINE] = [line("h_next"), line("S"), line("w2")];

/** Kernels that add their call to the pool's current chunk instead of running it; each returns the call's row. */
function recordingKernels(pool: ThreadPool, dtype: DType): NetKernels {
  const op = (name: string) => `${name}_${dtype}` as Op;
  const mainOnly = (name: string) => () => {
    throw new Error(`${name} does not run on a part of the Gram form`);
  };
  return {
    copy_relu_forward: (h, out, src, len) => pool.call(op("copy_relu_forward"), h.offset, out.offset, src.offset, len),
    gemm_nn: (c, a, b, m, k, n) => pool.call(op("gemm_nn"), c.offset, a.offset, b.offset, m, k, n),
    gemm_tn: (c, a, b, m, k, n) => pool.call(op("gemm_tn"), c.offset, a.offset, b.offset, m, k, n, m), // lda = m: all of A
    gemm_nt_mask: (c, a, b, h, m, k, n, scratch) => pool.call(op("gemm_nt_mask"), c.offset, a.offset, b.offset, h.offset, m, k, n, scratch.offset),
    gemm_pn_acc: (c, panels, b, alpha, m, k, n, terms) => pool.call(op("gemm_pn_acc"), c.offset, panels.offset, b.offset, alpha, m, k, n, terms.offset),
    sgd: (w, g, lr, len) => pool.call(op("sgd"), w.offset, g.offset, lr, len),
    sgd_check: (w, g, lr, len) => pool.call(op("sgd_check"), w.offset, g.offset, lr, len),
    gemm_nt: mainOnly("gemm_nt"),
    pack_panels: mainOnly("pack_panels"),
    prepare_pn: mainOnly("prepare_pn"),
    gemm_pn: mainOnly("gemm_pn"),
    relu_forward: mainOnly("relu_forward"),
    sgd_into_checked: mainOnly("sgd_into_checked"),
    relu_backward: mainOnly("relu_backward"),
    sse_loss_grad: mainOnly("sse_loss_grad"),
  };
}

export class GramParts {
  private readonly parts: Part[];
  private readonly arena: Arena;
  private readonly record: NetKernels;
  private readonly accumulate: WasmExports["accumulate_f64"];
  /** The learning rate of an accepted update whose S line has not run yet (it runs in the next job). */
  private pendingS?: number;
  /** Whether the last pass left GRAM_BACKWARD to the update that follows it (pass(true)). */
  private pendingBackward = false;

  /**
   * `count` parts (gramPartCount) of a network's blocks `b` on `pool`; `k` are the main thread's
   * kernels (the loss), `slice` cuts a block of the network's arena, and the parts' own blocks are
   * reserved in `space` (returned by dispose()).
   */
  constructor(
    private readonly pool: ThreadPool,
    exports: WasmExports,
    private readonly k: NetKernels,
    private readonly b: NetBlocks & GramBlocks,
    private readonly sizes: ProgramSizes,
    private readonly dtype: DType,
    space: Space,
    count: number,
    slice: (parent: Block, start: number, length: number) => Block,
  ) {
    const { n, hidden: H, dOut } = sizes;
    const c0 = (p: number) => Math.floor((p * H) / count);
    const widths = Array.from({ length: count }, (_, p) => c0(p + 1) - c0(p));
    // Each part's own matrices, its scratch for grad_h and the h update, and its partial y_pred (part 0 writes the network's).
    const lengths = widths.flatMap((w, p) => [...OWN.map(() => n * w), gramScratchLength(n, dOut, w), ...(p > 0 ? [n * dOut] : [])]);
    this.arena = new Arena(space, dtype, Arena.bytesFor(dtype, lengths));
    this.parts = widths.map((w, p) => {
      const own = Object.fromEntries(OWN.map((name) => [name, this.arena.block(n * w)])) as Record<Own, Block>;
      const scratch = this.arena.block(gramScratchLength(n, dOut, w));
      return {
        c0: c0(p),
        sizes: { ...sizes, hidden: w },
        b: {
          ...b,
          ...own,
          scratch,
          w2: slice(b.w2, c0(p) * dOut, w * dOut),
          gradW2: slice(b.gradW2, c0(p) * dOut, w * dOut),
          yPred: p === 0 ? b.yPred : this.arena.block(n * dOut),
        },
      };
    });
    this.record = recordingKernels(pool, dtype);
    this.accumulate = exports[`accumulate_${dtype}`];
  }

  /** Runs `lines` on every part (one chunk each, in order); returns each part's rows, line by line. */
  private job(lines: readonly GramLine[], lr = 0): number[][] {
    const rows = this.parts.map((part) => {
      const partRows = lines.map((line) => line.run(this.record, part.b, part.sizes, lr) as number);
      this.pool.endChunk();
      return partRows;
    });
    this.pool.run();
    return rows;
  }

  /**
   * The pass (GRAM_FORWARD_BACKWARD), parts' y_pred added in part order before the loss; returns the
   * loss. `updateFollows`: the caller runs update() next and nothing in between (the training
   * loop), so a finite loss's GRAM_BACKWARD may run in the update's first job, one job fewer; what
   * reads the gradients before then calls settle().
   */
  pass(updateFollows: boolean): number {
    const { n, dOut } = this.sizes;
    this.settle();
    if (this.pendingS === undefined) this.job(GRAM_FORWARD);
    else this.job([S_LINE, ...GRAM_FORWARD], this.takePendingS());
    for (const part of this.parts.slice(1)) this.accumulate(this.b.yPred.offset, part.b.yPred.offset, n * dOut);
    const loss = GRAM_LOSS.run(this.k, this.b, this.sizes, 0) as number;
    if (updateFollows && Number.isFinite(loss)) this.pendingBackward = true;
    else this.job(GRAM_BACKWARD);
    return loss;
  }

  /** Runs a pass's GRAM_BACKWARD if it was left to the update (for readers of grad_w2, grad_h, grad_w1). */
  settle(): void {
    if (!this.pendingBackward) return;
    this.pendingBackward = false;
    this.job(GRAM_BACKWARD);
  }

  /** GRAM_BACKWARD if the last pass left it to this update, then `lines`, in one job; the rows of `lines`. */
  private backwardThen(lines: readonly GramLine[], lr: number): number[][] {
    const backward = this.pendingBackward ? GRAM_BACKWARD : [];
    this.pendingBackward = false;
    return this.job([...backward, ...lines], lr).map((rows) => rows.slice(backward.length));
  }

  /**
   * The update (GRAM_UPDATE): the h update on the parts, w2's (small) on this thread, and S's on the
   * parts in the next job (the next pass's first, or a read of S: its own). With `keepFinite`, the
   * checks run first, in the h update's job; the first element (in w2, then S, then the next h) that
   * would become NaN or ±Infinity refuses the update before S and w2 change, and is returned. The
   * next h is then the refused update's and must be rebuilt by the caller (x·w1, then
   * scatter("hNext")).
   */
  update(lr: number, keepFinite: boolean): GramRefusal | undefined {
    if (this.pendingS !== undefined) this.job([S_LINE], this.takePendingS());
    if (!keepFinite) {
      this.backwardThen([H_LINE, S_LINE], lr);
      W2_LINE.run(this.k, this.b, this.sizes, lr);
      return undefined;
    }
    const rows = this.backwardThen([...GRAM_UPDATE_CHECKS, H_LINE], lr);
    const matrices = [...GRAM_UPDATE_CHECKS.map((check) => check.writes as GramRefusal["matrix"]), "h_next" as const];
    for (const [c, matrix] of matrices.entries()) {
      let refusal: GramRefusal | undefined;
      for (const [p, part] of this.parts.entries()) {
        const i = this.pool.result(rows[p][c]);
        if (i < 0) continue;
        const found = this.refusal(part, matrix, i, lr);
        if (refusal === undefined || found.index < refusal.index) refusal = found;
      }
      if (refusal !== undefined) return refusal;
    }
    W2_LINE.run(this.k, this.b, this.sizes, lr);
    this.pendingS = lr;
    return undefined;
  }

  private takePendingS(): number {
    const lr = this.pendingS!;
    this.pendingS = undefined;
    return lr;
  }

  /** Part-local element i of `matrix` as one thread would report it: its index in the whole matrix, and value. */
  private refusal({ c0, b, sizes }: Part, matrix: GramRefusal["matrix"], i: number, lr: number): GramRefusal {
    const { hidden: H, dOut } = this.sizes;
    const w = sizes.hidden;
    const index = matrix === "w2" ? c0 * dOut + i : Math.floor(i / w) * H + c0 + (i % w);
    return { matrix, index, value: refusedValue(this.dtype, matrix, b, i, lr) };
  }

  /** The network's N×H block `name` made whole from the parts (for readers: h, h_relu, grad_h, S). */
  gather(name: Exclude<Own, "hNext">): void {
    if (name === "s" && this.pendingS !== undefined) this.job([S_LINE], this.takePendingS());
    this.copyParts(name, true);
  }

  /** The network's N×H block `name` copied into the parts (the state, once built or rebuilt). */
  scatter(name: "s" | "hNext"): void {
    if (name === "s") this.pendingS = undefined; // S is replaced whole (a re-base, after reading w1)
    this.copyParts(name, false);
  }

  private copyParts(name: Own, gather: boolean): void {
    const { n, hidden: H } = this.sizes;
    const whole = this.b[name].array;
    for (const { c0, b, sizes } of this.parts) {
      const w = sizes.hidden;
      const own = b[name].array;
      for (let r = 0; r < n; r++) {
        if (gather) whole.set(own.subarray(r * w, (r + 1) * w), r * H + c0);
        else own.set(whole.subarray(r * H + c0, r * H + c0 + w), r * w);
      }
    }
  }

  /** Returns the parts' blocks. */
  dispose(): void {
    this.arena.dispose();
  }
}
