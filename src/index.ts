export { train, type TrainResult } from "./train.js";
export { TwoLayerNet, flopsPerStep } from "./net.js";
export { init, type Backend, type InitOptions } from "./backends.js";
export { simdSupported, type WasmBuild, type WasmSource } from "./loader.js";
export { TwoLayerError, type TwoLayerErrorCode } from "./errors.js";
export { TUTORIAL, type NetOptions, type TrainOptions, type NetConfig, type TrainConfig } from "./options.js";
export type { BackendName, DType, FloatArray } from "./kernels.js";
export { pythonFloat } from "./format.js";
export { lossPlotSvg, type LossPlotOptions } from "./plot.js";
