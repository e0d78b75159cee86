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
  | "WASM_UNAVAILABLE"; // the WebAssembly module could not be loaded or lacks a required feature

export class TwoLayerError extends Error {
  readonly code: TwoLayerErrorCode;

  constructor(code: TwoLayerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TwoLayerError";
    this.code = code;
  }
}

/** Shows a value the way a person would type it, for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return "a function";
  if (value === null || value === undefined || typeof value !== "object") return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    const length = (value as unknown as { length?: number }).length;
    return `a ${value.constructor.name}${length === undefined ? "" : ` of length ${length}`}`;
  }
  return `an object (${value.constructor?.name ?? "Object"})`;
}
