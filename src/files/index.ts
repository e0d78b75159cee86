// Reading and writing the files numpy, PyTorch and spreadsheets use: .npy, .npz, .safetensors, CSV.
// Pure functions on bytes; nothing here touches the network or the file system.
export type { NdArray, NdArrays } from "./types.js";
export { readArrays, detectFormat, NPY_ARRAY_NAME, type ArrayFileFormat } from "./detect.js";
export { readNpy } from "./npy-read.js";
export { writeNpy } from "./npy-write.js";
export { readNpz, writeNpz } from "./npz.js";
export { readSafetensors, readSafetensorsMetadata } from "./safetensors-read.js";
export { writeSafetensors } from "./safetensors-write.js";
export { readCsv, type CsvOptions, type CsvTable } from "./csv-read.js";
export { writeCsv, pythonFloat32 } from "./csv-write.js";
