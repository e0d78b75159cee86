import { disposedError, TwoLayerError } from "./errors.js";
import { DTYPES, view, type Block, type DType, type FloatArray } from "./kernels.js";

/**
 * Where arenas live: wasm linear memory (one per loaded build, shared by every network on it) or a
 * plain ArrayBuffer per arena for the JS backend. `buffer()` is read again at every use because
 * wasm memory growth replaces the buffer and detaches every view on the old one.
 */
export interface Space {
  buffer(): ArrayBufferLike;
  /** Reserves `bytes` (16-byte aligned) and returns their byte offset in `buffer()`. */
  reserve(bytes: number): number;
  /** Returns a reservation; views of it must not be used again. */
  release(offset: number, bytes: number): void;
}

/** The most bytes one network may take: wasm32 addresses 4 GiB, less what the module itself uses. */
export const MAX_ARENA_BYTES = 2 ** 32 - 2 ** 20;

const ALIGN = 16;
/**
 * Bytes kept free at both ends of an arena: the allocator writes its free-list links into the first
 * and last bytes of a block it gets back, and no view may show them as numbers after dispose().
 */
const PAD = 16;
/** Bytes of guard before and after each block in a guarded arena (tests only). */
const GUARD_BYTES = 64;
const GUARD_VALUE = 0xa5;
const alignUp = (bytes: number) => Math.ceil(bytes / ALIGN) * ALIGN;

/** A Space of its own for one JS-backend arena. */
export function jsSpace(): Space {
  let buffer: ArrayBuffer | undefined;
  return {
    buffer: () => buffer!,
    reserve(bytes) {
      buffer = new ArrayBuffer(bytes);
      return 0;
    },
    release() {
      // Detach the buffer, so views kept past dispose() read as empty instead of stale numbers.
      if (buffer) structuredClone(buffer, { transfer: [buffer] });
      buffer = undefined;
    },
  };
}

class ArenaBlock implements Block {
  private view: FloatArray | undefined;

  constructor(
    private readonly arena: Arena,
    readonly offset: number,
    readonly length: number,
  ) {}

  get array(): FloatArray {
    const buffer = this.arena.buffer();
    if (this.view === undefined || this.view.buffer !== buffer) {
      this.view = view(this.arena.dtype, buffer, this.offset, this.length);
    }
    return this.view;
  }
}

/**
 * One network's memory: reserved whole at creation, carved into blocks in the order they are asked
 * for (each block starts 16-byte aligned, after a pad), returned whole by `dispose()`.
 */
export class Arena {
  private readonly base: number;
  private used = PAD;
  private disposed = false;
  private readonly guards: number[] = []; // byte offsets of guard regions, when guarded

  /**
   * `guarded` (tests only) surrounds every block with guard bytes that `checkGuards` verifies, to
   * catch a kernel writing outside its block; `bytes` must then come from `bytesFor(…, true)`.
   */
  constructor(
    private readonly space: Space,
    readonly dtype: DType,
    readonly bytes: number,
    private readonly guarded = false,
  ) {
    if (bytes > MAX_ARENA_BYTES) throw tooLarge(bytes);
    this.base = reserve(space, bytes, "this network");
  }

  /** The bytes an arena needs for blocks of these element counts. */
  static bytesFor(dtype: DType, lengths: number[], guarded = false): number {
    const guard = guarded ? GUARD_BYTES : 0;
    return lengths.reduce((sum, length) => sum + alignUp(length * DTYPES[dtype].bytes) + guard, guard + 2 * PAD);
  }

  buffer(): ArrayBufferLike {
    if (this.disposed) throw disposedError();
    return this.space.buffer();
  }

  /** The next `length` elements of the arena. */
  block(length: number): Block {
    if (this.guarded) this.guard();
    const offset = this.base + this.used;
    this.used += alignUp(length * DTYPES[this.dtype].bytes);
    if (this.guarded) this.guard();
    if (this.used + PAD > this.bytes) throw new Error(`arena overflow: ${this.used + PAD} > ${this.bytes} bytes`);
    return new ArenaBlock(this, offset, length);
  }

  // Lays a guard region at the current end (once per boundary).
  private guard(): void {
    const at = this.base + this.used;
    if (this.guards.length && this.guards[this.guards.length - 1] + GUARD_BYTES === at) return;
    new Uint8Array(this.buffer(), at, GUARD_BYTES).fill(GUARD_VALUE);
    this.guards.push(at);
    this.used += GUARD_BYTES;
  }

  /** Throws if any guard byte changed (guarded arenas only). */
  checkGuards(): void {
    const bytes = new Uint8Array(this.buffer());
    for (const at of this.guards) {
      for (let i = at; i < at + GUARD_BYTES; i++) {
        if (bytes[i] !== GUARD_VALUE) throw new Error(`guard byte at ${i} (guard region ${at}) was overwritten`);
      }
    }
  }

  /** Elements [start, start + length) of `parent`, as a block of its own. */
  slice(parent: Block, start: number, length: number): Block {
    return new ArenaBlock(this, parent.offset + start * DTYPES[this.dtype].bytes, length);
  }

  /**
   * Returns the memory, filled with the dtype's NaN first (an f64 NaN read as f32 is half zeros), so a
   * view kept past dispose reads NaN, not numbers — until the memory is reused by another network.
   */
  dispose(): void {
    if (this.disposed) return;
    view(this.dtype, this.space.buffer(), this.base, Math.floor(this.bytes / DTYPES[this.dtype].bytes)).fill(NaN);
    this.disposed = true;
    this.space.release(this.base, this.bytes);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }
}

/** Reserves `bytes` of `space` for `what`, or throws OUT_OF_MEMORY saying so. */
export function reserve(space: Space, bytes: number, what: string): number {
  try {
    return space.reserve(bytes);
  } catch (cause) {
    throw new TwoLayerError(
      "OUT_OF_MEMORY",
      `could not reserve ${bytes} bytes for ${what} (the engine refused to grow memory); ` +
        `dispose networks you no longer need, or use smaller sizes or dtype "f32"`,
      { cause },
    );
  }
}

/** The typed error for a network larger than wasm32 memory. */
export function tooLarge(bytes: number): TwoLayerError {
  return new TwoLayerError(
    "OUT_OF_MEMORY",
    `this network needs ${bytes} bytes but one network may take at most ${MAX_ARENA_BYTES} ` +
      `(WebAssembly's 4 GiB less 1 MiB); use smaller sizes or dtype "f32"`,
  );
}
