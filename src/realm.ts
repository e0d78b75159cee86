// Brand checks: what kind of built-in object a value is, whichever realm made it.
//
// Every global object (a page and each of its iframes, a node:vm context, Vercel's edge runtime, which
// runs code in a vm context) has its own WebAssembly.Module, ArrayBuffer, Response and URL, so
// `value instanceof WebAssembly.Module` is false for a module compiled in another realm — yet
// WebAssembly.instantiate and WebAssembly.compile accept any realm's modules and buffers, since they
// check the engine's internal slots, not prototypes. We check the same way: where the platform has a
// method that throws for anything but the real thing (WebAssembly.Module.exports, ArrayBuffer's
// byteLength getter, ArrayBuffer.isView) we call it; for the Fetch and URL classes, which have no such
// method across realms (each realm's copy checks its own class), we read the spec's Symbol.toStringTag
// and the members we then use.

/** `Object.prototype.toString`'s tag for a value, "[object WebAssembly.Module]" and so on. */
function tag(value: unknown): string {
  return Object.prototype.toString.call(value);
}

/** Whether `value` is a compiled WebAssembly.Module from any realm. */
export function isWasmModule(value: unknown): value is WebAssembly.Module {
  if (typeof value !== "object" || value === null || typeof WebAssembly !== "object") return false;
  try {
    // Throws a TypeError for anything that is not a module; reads no more than the module's export list.
    WebAssembly.Module.exports(value as WebAssembly.Module);
    return true;
  } catch {
    return false;
  }
}

const byteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength")?.get;

/** Whether `value` is an ArrayBuffer (not a SharedArrayBuffer) from any realm. */
export function isArrayBuffer(value: unknown): value is ArrayBuffer {
  if (typeof value !== "object" || value === null) return false;
  if (!byteLength) return tag(value) === "[object ArrayBuffer]";
  try {
    byteLength.call(value); // throws unless value has [[ArrayBufferData]] and is not shared
    return true;
  } catch {
    return false;
  }
}

/** Whether `value` is a typed array or DataView from any realm (ArrayBuffer.isView checks the internal slot). */
export function isBufferView(value: unknown): value is ArrayBufferView {
  return ArrayBuffer.isView(value);
}

/** Whether `value` is bytes WebAssembly.compile accepts: an ArrayBuffer or a view of one, from any realm. */
export function isBufferSource(value: unknown): value is BufferSource {
  return isArrayBuffer(value) || isBufferView(value);
}

/** Whether `value` is a Fetch `Response` from any realm (its tag, and the members the loader reads). */
export function isResponse(value: unknown): value is Response {
  if (typeof value !== "object" || value === null || tag(value) !== "[object Response]") return false;
  const r = value as Partial<Response>;
  return typeof r.arrayBuffer === "function" && typeof r.headers?.get === "function";
}

/** Whether `value` is a Response made by this realm's Fetch (the only kind `instantiateStreaming` takes everywhere). */
export function isOwnResponse(value: unknown): value is Response {
  return typeof Response === "function" && value instanceof Response;
}

/** Whether `value` is a WHATWG `URL` from any realm. */
export function isUrl(value: unknown): value is URL {
  return typeof value === "object" && value !== null && tag(value) === "[object URL]" && typeof (value as URL).href === "string";
}

// A typed array's own getters, called on the value: they read its internal slots, so they hold for
// any realm's typed arrays and cannot be fooled by a subclass's `length` getter or an own
// Symbol.toStringTag (which would make a BigInt64Array pass as floats, or a 3-element array claim 15).
const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
const slot = (name: PropertyKey) => Object.getOwnPropertyDescriptor(typedArrayPrototype, name)!.get!;
const kindSlot = slot(Symbol.toStringTag);
const lengthSlot = slot("length");
const bufferSlot = slot("buffer");
const offsetSlot = slot("byteOffset");
const dataViewBuffer = Object.getOwnPropertyDescriptor(DataView.prototype, "buffer")!.get!;

/** A typed array's class as the engine made it ("Float64Array", "Uint8Array", …), any realm's; undefined for anything else. */
export function typedArrayKind(value: unknown): string | undefined {
  return ArrayBuffer.isView(value) ? (kindSlot.call(value) as string | undefined) : undefined; // undefined for a DataView
}

/** Whether `value` is a Float64Array or Float32Array, of this realm or another (brand check, not instanceof). */
export function isFloatArray(value: unknown): value is Float64Array | Float32Array {
  const kind = typedArrayKind(value);
  return kind === "Float64Array" || kind === "Float32Array";
}

/** A typed array's element count as the engine stores it (0 once its buffer is detached). */
export function typedArrayLength(value: ArrayBufferView): number {
  return lengthSlot.call(value) as number;
}

/**
 * Whether `value` (an ArrayBuffer, a typed array or a DataView) has lost its memory: a buffer
 * transferred (postMessage, structuredClone's transfer), or a view of a wasm memory that has grown
 * since. Such a buffer reads as empty; making a view of it is the one thing that throws.
 */
export function isDetached(value: unknown): boolean {
  let buffer: unknown = value;
  if (ArrayBuffer.isView(value)) buffer = typedArrayKind(value) === undefined ? dataViewBuffer.call(value) : bufferSlot.call(value);
  if (!isArrayBuffer(buffer)) return false; // a SharedArrayBuffer is never detached
  try {
    new Uint8Array(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

/**
 * The same elements as the typed array `value` (of any realm, of a subclass), through a view of this
 * realm's own class made from its internal slots: no copy, and nothing a subclass overrides is read.
 */
export function ownView<T extends ArrayBufferView>(value: T, Class: new (buffer: ArrayBufferLike, byteOffset: number, length: number) => T): T {
  return new Class(bufferSlot.call(value) as ArrayBufferLike, offsetSlot.call(value) as number, lengthSlot.call(value) as number);
}
