// Predictions on new inputs: y = relu(x·w1)·w2 for any number of rows, by the network's own kernels
// (the same calls as the forward pass of training, so the same bits) in scratch memory of its own,
// so that the network's x, h, y_pred and gradients are left as they were.
import { DTYPES, panelsLength, type Block, type DType, type FloatArray, type Kernels } from "./kernels.js";
import { Arena, type Space } from "./memory.js";
import { userRows } from "./validate.js";

/** What a prediction needs of a network: its kernels, where scratch may be reserved, its sizes and weights. */
export interface PredictParts {
  readonly kernels: Kernels;
  /** Where the scratch arena is reserved: the network's own wasm memory (the kernels address it), or a fresh buffer for the js backend. */
  readonly space: Space;
  readonly dtype: DType;
  readonly n: number;
  readonly dIn: number;
  readonly hidden: number;
  readonly dOut: number;
  readonly w1: Block;
  readonly w2: Block;
}

/**
 * Rows computed per pass: as many as fit in about this many bytes of scratch, and never fewer than
 * the network's batch N, so that N rows (the training x) go through the kernels exactly as a
 * training pass does, with the same sizes (the threaded kernels split work by size).
 */
const SCRATCH_BYTES = 16 * 1024 * 1024;

/** The scratch blocks' element counts for `rows` rows: x, its 4-row panels, h (ReLU'd in place), y. */
function scratchLengths(rows: number, { dIn, hidden, dOut }: PredictParts): number[] {
  return [rows * dIn, panelsLength(rows, dIn), rows * hidden, rows * dOut];
}

/**
 * y = relu(x·w1)·w2 for the rows of `xValue` (rows × D_in, row-major, validated and copied once:
 * INVALID_ARRAY for a wrong type, a length that is not a whole number ≥ 1 of rows, or a non-finite
 * value). Returns rows × D_out in the network's dtype, a fresh array.
 */
export function predictRows(parts: PredictParts, xValue: unknown): FloatArray {
  const { kernels: k, dtype, dIn, hidden: H, dOut } = parts;
  const { data: x, rows } = userRows("x", xValue, dIn, dtype, "the input width D_in");
  const S = DTYPES[dtype].bytes;
  const perRow = S * (2 * dIn + H + dOut) + S * 4; // a row of each block, and a share of the panels' padding
  const chunk = Math.min(rows, Math.max(parts.n, Math.floor(SCRATCH_BYTES / perRow), 1));
  const out = new DTYPES[dtype].Array(rows * dOut);
  const arena = new Arena(parts.space, dtype, Arena.bytesFor(dtype, scratchLengths(chunk, parts)));
  try {
    const [xb, panels, h, y] = scratchLengths(chunk, parts).map((length) => arena.block(length));
    k.prepare_pn(chunk, H); // the threaded kernels reserve their partial products now, not mid-pass
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const m = Math.min(chunk, rows - r0);
      xb.array.set(x.subarray(r0 * dIn, (r0 + m) * dIn));
      k.pack_panels(panels, xb, m, dIn); //           x in 4-row panels, as the network packs its own x
      k.gemm_pn(h, panels, parts.w1, m, dIn, H); //   h = x·w1
      k.relu_forward(h, h, m * H); //                 h_relu = max(h, 0), in place
      k.gemm_nn(y, h, parts.w2, m, H, dOut); //       y_pred = h_relu·w2
      out.set(y.array.subarray(0, m * dOut), r0 * dOut);
    }
  } finally {
    arena.dispose();
  }
  return out;
}
