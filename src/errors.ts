import { isDetached, typedArrayKind, typedArrayLength } from "./realm.js";

/**
 * The one error class twolayer throws for anything a caller did wrong or asked for that cannot be had.
 * `code` is stable (safe to switch on); `message` names the argument, what it got and what it accepts.
 */
export type TwoLayerErrorCode =
  | "INVALID_OPTION" // an option has the wrong type or value (sizes, dtype, backend, learning rate, ...)
  | "UNKNOWN_OPTION" // an option name twolayer does not know (often a typo)
  | "INVALID_ARRAY" // a user array of the wrong type or length, or holding non-finite values
  | "INVALID_FILE" // a file (.npy, .npz, .safetensors, .csv) that is malformed or holds what we cannot read
  | "OUT_OF_MEMORY" // the network would not fit in WebAssembly's 32-bit memory
  | "DISPOSED" // the network was disposed and cannot be used any more
  | "NON_FINITE" // an update would have made a weight NaN or infinite (the weights are left unchanged), or predict's result overflowed
  | "BUSY" // a method that steps the network (or train) was called while train runs it, as from onIteration
  | "WASM_UNAVAILABLE"; // the WebAssembly module could not be loaded or lacks a required feature

export class TwoLayerError extends Error {
  readonly code: TwoLayerErrorCode;
  /** The option at fault, when the error is about one option's value (`"learningRate"`, `"x"`, …). */
  readonly option?: string;
  /** What that option accepts, in words (`"an integer from 1 to 2147483647"`), when it is about one option. */
  readonly expected?: string;
  /** The WebAssembly build that could not be loaded or was refused (`"simd"`, …), for WASM_UNAVAILABLE. */
  readonly build?: string;

  constructor(code: TwoLayerErrorCode, message: string, options?: { cause?: unknown; option?: string; expected?: string; build?: string }) {
    super(message, options);
    this.name = "TwoLayerError";
    this.code = code;
    if (options?.option !== undefined) this.option = options.option;
    if (options?.expected !== undefined) this.expected = options.expected;
    if (options?.build !== undefined) this.build = options.build;
  }
}

/**
 * The refusal of an array whose memory is gone: it reads as empty, so without this the message
 * would say "got 0" of an array the caller knows holds numbers.
 */
export function detachedError(name: string, code: "INVALID_ARRAY" | "INVALID_OPTION" = "INVALID_ARRAY"): TwoLayerError {
  return new TwoLayerError(
    code,
    `${name}${name.endsWith("s") ? "'" : "'s"} buffer is detached: it was transferred (postMessage, structuredClone) or is a view of a wasm memory that has grown since, so it holds nothing any more; pass one whose buffer is live (a copy made before the transfer, or a fresh view)`,
    { option: name },
  );
}

/** Shows a value the way a person would type it, for error messages (never throws, whatever the value). */
export function describe(value: unknown): string {
  try {
    return describeValue(value);
  } catch {
    return "an object"; // a revoked proxy, or a getter that throws
  }
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "symbol") return value.toString();
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return "a function";
  if (value === null || value === undefined || typeof value !== "object") return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    // The class and length the engine stores (a subclass may claim others); "a Uint8Array", "an Int32Array".
    const kind = typedArrayKind(value);
    const name = kind ?? "DataView";
    const length = kind === undefined ? "" : ` of length ${typedArrayLength(value)}`;
    return `${/^[AEIO]/.test(name) ? "an" : "a"} ${name}${length}${isDetached(value) ? " whose buffer is detached" : ""}`;
  }
  return `an object (${value.constructor?.name ?? "Object"})`;
}

/** The refusal of `method` on a network that train runs now (between an iteration's pass and its update, or awaiting). */
export function busyError(method: string): TwoLayerError {
  return new TwoLayerError(
    "BUSY",
    `${method} was called while train runs this network (from its onIteration callback, or while train awaits one that returned a promise, or between iterations with a signal): it would run between an iteration's pass and its update; call it once train's promise has settled (a signal stops training early), or train in a loop of net.step() of your own`,
  );
}

/** The message of a disposed network's refusal, said once. */
export function disposedError(): TwoLayerError {
  return new TwoLayerError("DISPOSED", "this network was disposed; create a new one");
}
