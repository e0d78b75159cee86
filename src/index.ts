export { train } from "./train.js";
export type { TrainResult } from "./loop.js";
export type { Algorithm, RunInfo } from "./run-info.js";
export { TwoLayerNet, flopsPerStep } from "./net.js";
export { PROGRAM, type ProgramStep, type ProgramMatrix } from "./program.js";
export { init } from "./builds/init.js";
export { simdSupported } from "./builds/features.js";
export type { WasmBuild, WasmSource } from "./builds/builds.js";
export { TwoLayerError, type TwoLayerErrorCode } from "./errors.js";
export {
  TUTORIAL,
  type Backend,
  type InitOptions,
  type NetOptions,
  type LoopOptions,
  type OnIteration,
  type TrainOptions,
  type NetConfig,
  type LoopConfig,
  type TrainConfig,
} from "./options.js";
export type { BackendName, DType, FloatArray } from "./kernels.js";
export { pythonFloat } from "./format.js";
export { lossPlotSvg, type LossPlotOptions } from "./plot/loss-plot.js";
export type { WeightsFormat } from "./weights.js";
export { readArrays, readCsv, writeNpy, writeNpz, writeSafetensors, writeCsv, type NdArray, type NdArrays, type CsvOptions, type CsvTable } from "./files/index.js";
