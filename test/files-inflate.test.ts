// Zip members inflated to exactly their declared size: a deflate stream that runs on past it (a
// "zip bomb" whose CRC-32 is right for the declared bytes), one that ends before it, one that goes on
// after it; trailing bytes after a stream's end; and where the data is (local headers, ZIP64 offsets).
// The archives are assembled here, byte by byte, so that each breaks one rule.
import { deflateSync, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { TwoLayerError } from "../src/errors.js";
import { readNpz, writeNpy } from "../src/files/index.js";
import { crc32 } from "../src/files/zip-directory.js";

/** Bits in deflate's order: values least significant bit first, Huffman codes most significant first. */
class BitWriter {
  private out: number[] = [];
  private acc = 0;
  private used = 0;
  bits(value: number, count: number): this {
    for (let i = 0; i < count; i++) this.bit((value >> i) & 1);
    return this;
  }
  code(code: number, length: number): this {
    for (let i = length - 1; i >= 0; i--) this.bit((code >> i) & 1);
    return this;
  }
  private bit(b: number): void {
    this.acc |= b << this.used;
    if (++this.used === 8) this.align();
  }
  align(): this {
    if (this.used > 0) this.out.push(this.acc);
    this.acc = 0;
    this.used = 0;
    return this;
  }
  bytes(data: Uint8Array): this {
    this.align();
    for (const b of data) this.out.push(b);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.align().out);
  }
}

/** A stored deflate block holding `data` (at most 65535 bytes). */
function storedBlock(w: BitWriter, data: Uint8Array, final: boolean): BitWriter {
  w.bits(final ? 1 : 0, 1).bits(0, 2).align().bits(data.length, 16).bits(~data.length & 0xffff, 16);
  return w.bytes(data);
}

/**
 * A fixed-Huffman block of `matches` copies of 258 bytes at distance 1 (the last byte, again and
 * again): 13 bits that inflate to 258 bytes, so 1.6 MB of stream is 256 MiB of output.
 */
function repeatBlock(w: BitWriter, matches: number, final: boolean): BitWriter {
  w.bits(final ? 1 : 0, 1).bits(1, 2);
  for (let i = 0; i < matches; i++) w.code(0b11000101, 8).code(0, 5); // length 258 (symbol 285), distance 1 (code 0)
  return w.code(0, 7); // end of block (symbol 256)
}

interface Member {
  name: string;
  method: 0 | 8;
  data: Uint8Array; // as stored in the archive
  size: number; // the uncompressed size the archive declares
  crc: number;
}

const deflated = (name: string, content: Uint8Array): Member => ({ name, method: 8, data: deflateSync(content), size: content.length, crc: crc32(content) });

/**
 * A zip archive of `members`. With `zip64`, each central record keeps its sizes and local header
 * offset in a ZIP64 extra field (0xFFFFFFFF in the 4-byte fields), and a ZIP64 end record and
 * locator come before the end record, as a writer of archives beyond 4 GiB lays them out.
 */
function zip(members: Member[], zip64 = false): Uint8Array {
  const parts: Uint8Array[] = [];
  let at = 0;
  const push = (bytes: Uint8Array) => (parts.push(bytes), (at += bytes.length));
  const record = (length: number, fill: (v: DataView) => void) => {
    const bytes = new Uint8Array(length);
    fill(new DataView(bytes.buffer));
    return bytes;
  };
  const names = members.map((m) => new TextEncoder().encode(m.name));
  const locals: number[] = [];
  members.forEach((m, i) => {
    locals.push(at);
    push(record(30, (v) => {
      v.setUint32(0, 0x04034b50, true);
      v.setUint16(4, 20, true);
      v.setUint16(8, m.method, true);
      v.setUint32(14, m.crc, true);
      v.setUint32(18, m.data.length, true);
      v.setUint32(22, m.size, true);
      v.setUint16(26, names[i].length, true);
    }));
    push(names[i]);
    push(m.data);
  });
  const directory = at;
  members.forEach((m, i) => {
    push(record(46, (v) => {
      v.setUint32(0, 0x02014b50, true);
      v.setUint16(4, 45, true);
      v.setUint16(6, 20, true);
      v.setUint16(10, m.method, true);
      v.setUint32(16, m.crc, true);
      v.setUint32(20, zip64 ? 0xffffffff : m.data.length, true);
      v.setUint32(24, zip64 ? 0xffffffff : m.size, true);
      v.setUint16(28, names[i].length, true);
      v.setUint16(30, zip64 ? 28 : 0, true);
      v.setUint32(42, zip64 ? 0xffffffff : locals[i], true);
    }));
    push(names[i]);
    // The ZIP64 extra field: uncompressed size, compressed size, local header offset, 8 bytes each.
    if (zip64) {
      push(record(28, (v) => {
        v.setUint16(0, 1, true);
        v.setUint16(2, 24, true);
        v.setBigUint64(4, BigInt(m.size), true);
        v.setBigUint64(12, BigInt(m.data.length), true);
        v.setBigUint64(20, BigInt(locals[i]), true);
      }));
    }
  });
  const directorySize = at - directory;
  if (zip64) {
    const end64 = at;
    push(record(56, (v) => {
      v.setUint32(0, 0x06064b50, true);
      v.setBigUint64(4, 44n, true);
      v.setBigUint64(24, BigInt(members.length), true);
      v.setBigUint64(32, BigInt(members.length), true);
      v.setBigUint64(40, BigInt(directorySize), true);
      v.setBigUint64(48, BigInt(directory), true);
    }));
    push(record(20, (v) => {
      v.setUint32(0, 0x07064b50, true);
      v.setBigUint64(8, BigInt(end64), true);
      v.setUint32(16, 1, true);
    }));
  }
  push(record(22, (v) => {
    v.setUint32(0, 0x06054b50, true);
    v.setUint16(8, members.length, true);
    v.setUint16(10, members.length, true);
    v.setUint32(12, directorySize, true);
    v.setUint32(16, directory, true);
  }));
  const out = new Uint8Array(at);
  let offset = 0;
  for (const p of parts) out.set(p, offset), (offset += p.length);
  return out;
}

const npy = writeNpy({ data: Float64Array.of(1, 2, 3, 4, 5, 6), shape: [2, 3] });
// A stream that inflates to the .npy and then to 256 MiB more of its last byte: the declared size
// and CRC-32 are the .npy's, so a reader that inflates it all and keeps the declared bytes accepts it.
const MATCHES = 1 << 20;
const bombStream = () => repeatBlock(storedBlock(new BitWriter(), npy, false), MATCHES, true).done();

/** The INVALID_FILE error readNpz raises for `archive` (any other outcome fails the test). */
function refusal(archive: Uint8Array): string {
  try {
    readNpz(archive);
  } catch (error) {
    if (error instanceof TwoLayerError && error.code === "INVALID_FILE") return error.message;
    throw error;
  }
  throw new Error("the archive was read, not refused");
}

describe("a deflated member inflates to exactly its declared size", () => {
  it("reads what the builder assembles, stored and deflated, as fflate does", () => {
    const archive = zip([deflated("a.npy", npy), { name: "b.npy", method: 0, data: npy, size: npy.length, crc: crc32(npy) }]);
    expect(Object.keys(unzipSync(archive))).toEqual(["a.npy", "b.npy"]);
    const arrays = readNpz(archive);
    expect(Array.from(arrays.a.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(arrays.b.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("refuses a stream that runs on past its declared size as soon as the output passes it", () => {
    const stream = bombStream();
    expect(stream.length).toBeLessThan(2_000_000); // 1.6 MB that would inflate to 256 MiB
    const archive = zip([{ name: "w1.npy", method: 8, data: stream, size: npy.length, crc: crc32(npy) }]);
    const message = refusal(archive);
    expect(message).toContain(`npz member "w1.npy": inflates past the ${npy.length} bytes its directory entry declares`);
    // Refused from the first pieces of input, having inflated a few megabytes, not 256 MiB.
    const [, inflated, read] = /to (\d+) bytes from the first (\d+) bytes/.exec(message)!;
    expect(Number(read)).toBeLessThanOrEqual(64 * 1024);
    expect(Number(inflated)).toBeLessThan(64 * 1024 * 1024);
  });

  it("refuses a stream that ends before its declared size", () => {
    const content = new Uint8Array(npy.length + 100);
    content.set(npy);
    const member = deflated("w1.npy", npy);
    expect(refusal(zip([{ ...member, size: content.length, crc: crc32(content) }]))).toContain(`npz member "w1.npy": inflates to ${npy.length} bytes, but its directory entry declares ${content.length} bytes`);
  });

  it("refuses a stream that goes on after its declared size", () => {
    // The .npy, then a stored block of 60000 bytes that the member's data cuts short.
    const stream = storedBlock(storedBlock(new BitWriter(), npy, false), new Uint8Array(60_000), true).done();
    const archive = zip([{ name: "w1.npy", method: 8, data: stream.subarray(0, stream.length - 100), size: npy.length, crc: crc32(npy) }]);
    expect(refusal(archive)).toContain(`npz member "w1.npy": its deflate stream goes on past the ${npy.length} bytes`);
  });

  it("ignores bytes after the end of a stream, as Python's zipfile does, however many", () => {
    const stream = deflateSync(npy);
    const padded = new Uint8Array(stream.length + 1_000_000);
    padded.set(stream);
    expect(Array.from(readNpz(zip([{ ...deflated("w1.npy", npy), data: padded }])).w1.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("refuses a stream that ends early, then trailing bytes, as ending early", () => {
    const content = new Uint8Array(npy.length + 100);
    const stream = deflateSync(npy);
    const padded = new Uint8Array(stream.length + 1_000_000);
    padded.set(stream);
    expect(refusal(zip([{ name: "w1.npy", method: 8, data: padded, size: content.length, crc: crc32(content) }]))).toContain(`inflates to ${npy.length} bytes`);
  });

  it("allocates what a stream yields, not a large size it declares and does not reach", () => {
    const stream = deflateSync(npy);
    const padded = new Uint8Array(1_000_000); // room, by deflate's 1032:1, to declare up to 1 GB
    padded.set(stream);
    const declared = 1_000_000_000;
    const before = process.memoryUsage().arrayBuffers;
    expect(refusal(zip([{ name: "w1.npy", method: 8, data: padded, size: declared, crc: 0 }]))).toContain(`inflates to ${npy.length} bytes, but its directory entry declares ${declared} bytes`);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it("refuses damaged deflate data, naming the member", () => {
    const member = deflated("w1.npy", npy);
    const data = Uint8Array.of(0xff, ...member.data.subarray(1)); // block type 3, which does not exist
    expect(refusal(zip([{ ...member, data }]))).toContain('npz member "w1.npy": cannot be inflated');
  });
});

describe("a member's data is found behind its local header", () => {
  it("through a ZIP64 extra field's offset, as fflate finds it", () => {
    const archive = zip([deflated("a.npy", npy), deflated("b.npy", writeNpy({ data: Float32Array.of(7), shape: [1] }))], true);
    expect(Object.keys(unzipSync(archive))).toEqual(["a.npy", "b.npy"]);
    const arrays = readNpz(archive);
    expect(Array.from(arrays.a.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(arrays.b.data)).toEqual([7]);
  });

  it("refuses a directory record that points where no local header is", () => {
    const a = deflated("a.npy", npy);
    const archive = zip([a, deflated("b.npy", npy)]);
    const local = 30 + "a.npy".length + a.data.length; // b.npy's local header
    expect(archive[local]).toBe(0x50);
    archive[local] = 0x51; // "PK\x03\x04" -> "QK\x03\x04"
    expect(refusal(archive)).toContain(`npz member "b.npy": its directory record points to byte ${local}, where no local file header is`);
  });
});
