// twolayer/bench: the seed-run comparison that npm run bench, `twolayer bench` and the demo's bench
// page share. Browser-safe (machine-node.ts, which reads /proc, is imported by the Node callers only).
export { BENCH_CONTENDERS, CLI_CONTENDERS, PAGE_CONTENDERS, dtypeOf, isSlow, labelOf, type Contender, type OtherProgram, type RunOptions } from "./contenders.js";
export { runtimeName, machineLine, type Machine } from "./machine.js";
export { CLI_TIMING, FULL_TIMING, QUICK_TIMING, measureSeedRuns, type MeasureOptions, type SeedRunResult, type Timing } from "./measure.js";
export { NUMPY_SEED_LOSSES } from "./numpy-losses.js";
export { rowStreamingData, rowStreamingTrain } from "./row-streaming.js";
export { LossMismatch, SEED_LEARNING_RATE, SEED_SIZES, checkLosses, prepareSeedRun, type Create, type SeedRun } from "./seed-run.js";
export { SEED_RUN_COLUMNS, fixed, secondsText, seedRunTable, textTable, timesFaster, type Column } from "./table.js";
