// `twolayer predict --weights FILE --x FILE [--out FILE]`: relu(x·w1)·w2 for every row of x, printed
// one row per line (values separated by spaces, in Python's float format; float32 values as numpy
// prints them) or written to --out as .npy, .npz (array "y_pred") or .csv. The steps: flags to
// options, --out checked, both files read and checked against each other, the network made from
// the weights, the prediction, then the output and the exit code.
import { extname } from "node:path";
import { pythonFloat32, writeCsv } from "../files/csv-write.js";
import { writeNpz } from "../files/npz.js";
import { writeNpy } from "../files/npy-write.js";
import type { NdArray } from "../files/types.js";
import { pythonFloat } from "../format.js";
import type { FloatArray } from "../kernels.js";
import { TwoLayerNet } from "../net.js";
import type { Args } from "./args.js";
import { FLAGS, parseValue } from "./flags.js";
import { readInputs, withWeightsNamed } from "./inputs.js";
import { writeOutputs, type Chunks } from "./output-files.js";
import { checkOutputs } from "./outputs.js";
import { FAILED } from "./report.js";
import { say, stdoutFailure, writeStdout } from "./stdio.js";
import { stdoutStop, watchStops } from "./stops.js";
import { UsageError } from "./usage.js";
import { abandonWrites } from "./write-file.js";

/** Rows printed per write to stdout. */
const ROWS_PER_WRITE = 4096;

/** The predictions as --out's extension says: .npy, .npz (one array, y_pred) or .csv. */
function outContent(path: string, y: NdArray): Chunks {
  const ext = extname(path).toLowerCase();
  if (ext === ".npy") return [writeNpy(y)];
  if (ext === ".npz") return [writeNpz({ y_pred: y })];
  return [writeCsv(y)];
}

/** Prints rows × cols values, one row per line, in chunks; stops once stdout has failed. */
async function printRows(data: FloatArray, cols: number): Promise<void> {
  const format = data instanceof Float32Array ? pythonFloat32 : pythonFloat;
  const rows = data.length / cols;
  for (let r0 = 0; r0 < rows && stdoutFailure() === undefined; r0 += ROWS_PER_WRITE) {
    const lines: string[] = [];
    for (let r = r0; r < Math.min(rows, r0 + ROWS_PER_WRITE); r++) {
      lines.push(Array.from(data.subarray(r * cols, (r + 1) * cols), format).join(" "));
    }
    await writeStdout(`${lines.join("\n")}\n`);
  }
}

/** The options the speed flags set (dtype, backend, simd, threads, fma), as their text reads. */
function speedOptions(args: Args): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const f of FLAGS) {
    if (f.option === undefined || !f.commands.includes("predict")) continue;
    if (f.kind === "switch" ? args.switches.has(f.name) : args.given.has(f.name)) options[f.option] = parseValue(f, args.given.get(f.name));
  }
  return options;
}

/** Runs the prediction the flags describe; resolves to the exit code. */
export async function predictCommand(args: Args): Promise<number> {
  for (const name of ["weights", "x"]) {
    if (!args.given.has(name)) throw new UsageError(`twolayer predict needs --${name} FILE (see twolayer predict --help)`);
  }
  const options = speedOptions(args);
  const stops = watchStops(abandonWrites);
  try {
    const targets = checkOutputs(args);
    const inputs = await readInputs(args);
    const { x, weights } = inputs;
    // The weights file's own precision, unless --dtype says otherwise: float32 weights predict in f32.
    const stored = weights!.file.w1.data instanceof Float32Array && weights!.file.w2.data instanceof Float32Array ? "f32" : "f64";
    const net = await withWeightsNamed(inputs, () => TwoLayerNet.create({ dtype: stored, ...options, weights: weights!.bytes, n: 1 }));
    let y: NdArray;
    try {
      y = { data: net.predict(x!.data), shape: [x!.rows, net.dOut] };
    } finally {
      net.dispose();
    }
    // A signal while we computed: stop before writing anything.
    const early = stops.first();
    if (early !== undefined) return early.code;
    if (targets.length === 0) {
      await printRows(y.data, net.dOut);
      const failure = stdoutFailure();
      if (failure === undefined) return 0;
      const stop = stdoutStop(failure);
      if (stop.code === FAILED) say(stop.cause);
      return stop.code;
    }
    const written = await writeOutputs(targets, () => outContent(targets[0].path, y));
    return written.failed ? FAILED : (stops.first()?.code ?? 0);
  } finally {
    stops.finish();
  }
}
