// .npz and the zip reader under it: numpy's ZIP64 members, and every way an archive can be damaged.
import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { TwoLayerError } from "../src/errors.js";
import { readArrays, readNpz, writeNpz } from "../src/files/index.js";
import { crc32 } from "../src/files/zip-directory.js";

const fixture = (rel: string) => new Uint8Array(readFileSync(new URL(`./fixtures/files/${rel}`, import.meta.url)));

// Where things are in a zip (no comment, no ZIP64 end record): the end record, each central record
// and the local header it points to.
function layout(zip: Uint8Array) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  expect(view.getUint32(eocd, true)).toBe(0x06054b50);
  const records: { central: number; local: number; nameLength: number }[] = [];
  let at = view.getUint32(eocd + 16, true);
  for (let i = 0; i < view.getUint16(eocd + 10, true); i++) {
    const nameLength = view.getUint16(at + 28, true);
    records.push({ central: at, local: view.getUint32(at + 42, true), nameLength });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return { view, eocd, records };
}

async function invalid(bytes: Uint8Array, ...words: string[]): Promise<TwoLayerError> {
  const error = await readArrays(bytes).then(() => undefined, (e: unknown) => e);
  expect(error, `expected INVALID_FILE containing ${words.join(", ")}`).toBeInstanceOf(TwoLayerError);
  expect((error as TwoLayerError).code).toBe("INVALID_FILE");
  for (const w of words) expect((error as TwoLayerError).message).toContain(w);
  return error as TwoLayerError;
}

const two = () => writeNpz({ a: { data: Float64Array.of(1, 2, 3), shape: [3] }, b: { data: Float32Array.of(4, 5), shape: [1, 2] } });

describe("readNpz", () => {
  it("reads what writeNpz writes, names and data", () => {
    const arrays = readNpz(two());
    expect(Object.keys(arrays)).toEqual(["a", "b"]);
    expect(arrays.b.data).toBeInstanceOf(Float32Array);
    expect(Array.from(arrays.a.data)).toEqual([1, 2, 3]);
    expect(arrays.b.shape).toEqual([1, 2]);
  });

  it("keeps a member named __proto__ as a name, not a prototype", () => {
    const arrays = readNpz(writeNpz(JSON.parse('{"__proto__": {"data": null, "shape": [1]}}', (k, v) => (k === "data" ? Float64Array.of(9) : v))));
    expect(Object.getPrototypeOf(arrays)).toBe(Object.prototype);
    expect(Object.keys(arrays)).toEqual(["__proto__"]);
    expect(Array.from(Object.getOwnPropertyDescriptor(arrays, "__proto__")!.value.data)).toEqual([9]);
  });

  it("agrees with fflate's own reader on numpy's files (stored and deflated, ZIP64 local headers)", () => {
    for (const rel of ["npz/savez.npz", "npz/savez-compressed.npz", "npz/weights.npz"]) {
      const theirs = unzipSync(fixture(rel));
      expect(Object.keys(readNpz(fixture(rel))).map((n) => `${n}.npy`)).toEqual(Object.keys(theirs));
      for (const data of Object.values(theirs)) expect(crc32(data)).toBeGreaterThanOrEqual(0);
    }
  });

  it("computes zip's CRC-32 (the standard check value of '123456789' is 0xCBF43926)", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it("writes the same bytes every time and in every time zone (a fixed 1980-01-01 date)", () => {
    const { view, records } = layout(two());
    expect(view.getUint32(records[0].local + 10, true)).toBe(0x00210000); // DOS time 00:00:00, date 1980-01-01
    expect(Buffer.from(two()).equals(Buffer.from(two()))).toBe(true);
  });
});

describe("readNpz refuses a damaged archive with INVALID_FILE", () => {
  it("at every truncation of numpy's stored and deflated files", async () => {
    for (const rel of ["npz/savez.npz", "npz/savez-compressed.npz"]) {
      const good = fixture(rel);
      for (let n = 0; n < good.length; n += 3) await invalid(good.subarray(0, n));
    }
  });

  it("without an end record", async () => {
    await invalid(Uint8Array.of(0x50, 0x4b, 3, 4, 0, 0), "npz end of central directory", "not found");
  });

  it("with a member count the file cannot hold", async () => {
    const zip = two();
    const { view, eocd } = layout(zip);
    view.setUint16(eocd + 8, 0xffff, true);
    view.setUint16(eocd + 10, 0xffff, true);
    await invalid(zip, "npz central directory", "claims 65535 members");
  });

  it("with a central directory record that is not one", async () => {
    const zip = two();
    const { view, records } = layout(zip);
    view.setUint32(records[1].central, 0x12345678, true);
    await invalid(zip, "npz central directory record 1", "no central directory record");
  });

  it("with a compression method other than stored and deflate", async () => {
    const zip = two();
    const { view, records } = layout(zip);
    view.setUint16(records[0].central + 10, 12, true);
    view.setUint16(records[0].local + 8, 12, true);
    await invalid(zip, 'npz member "a.npy"', "compression method 12 (bzip2)", "stored (0) and deflate (8)");
  });

  it("with a CRC-32 that does not match the data", async () => {
    const zip = two();
    const { records } = layout(zip);
    zip[records[0].local + 30 + records[0].nameLength + 128] ^= 1; // a data byte of a.npy
    await invalid(zip, 'npz member "a.npy"', "CRC-32 is", "the data is damaged");
  });

  it("with two members of one name", async () => {
    const zip = two();
    const { records } = layout(zip);
    for (const r of records.slice(1)) {
      zip[r.central + 46] = 0x61; // "b.npy" -> "a.npy"
      zip[r.local + 30] = 0x61;
    }
    await invalid(zip, 'npz member "a.npy"', "appears twice");
  });

  it("with sizes larger than the file, or than deflate can produce, before allocating them", async () => {
    const zip = two();
    const { view, records } = layout(zip);
    view.setUint32(records[0].central + 20, 0xfffffff0, true);
    view.setUint32(records[0].central + 24, 0xfffffff0, true);
    await invalid(zip, 'npz member "a.npy"', "claims 4294967280 bytes of compressed data");

    const deflated = fixture("npz/savez-compressed.npz");
    const d = layout(deflated);
    d.view.setUint32(d.records[0].central + 24, 0xfffffff0, true);
    await invalid(deflated, "claims it holds 4294967280 bytes", "which cannot be");
  });

  it("with a stored member that claims more than it holds", async () => {
    const zip = two();
    const { view, records } = layout(zip);
    view.setUint32(records[0].central + 24, view.getUint32(records[0].central + 24, true) + 1, true);
    await invalid(zip, 'npz member "a.npy"', "stored, which cannot be");
  });

  it("with damaged deflate data", async () => {
    const zip = fixture("npz/savez-compressed.npz");
    const { records } = layout(zip);
    const data = records[0].local + 30 + records[0].nameLength + 20; // past numpy's ZIP64 extra field
    for (let i = 0; i < 8; i++) zip[data + i] = 0xff;
    await invalid(zip, 'npz member "x.npy"');
  });

  it("with a ZIP64 locator that points to no ZIP64 end record", async () => {
    const zip = two();
    const withLocator = new Uint8Array(zip.length + 20);
    withLocator.set(zip.subarray(0, zip.length - 22));
    const locator = new DataView(withLocator.buffer, zip.length - 22, 20);
    locator.setUint32(0, 0x07064b50, true);
    locator.setUint32(8, 3, true);
    withLocator.set(zip.subarray(zip.length - 22), zip.length - 2);
    await invalid(withLocator, "npz ZIP64 end of central directory", "points to no ZIP64 end record");
  });

  it("with a member that is not an .npy, or an .npy that is damaged", async () => {
    const zip = two();
    const { records } = layout(zip);
    for (const r of records.slice(0, 1)) {
      zip[r.central + 46 + 2] = 0x74; // "a.npy" -> "a.tpy"
      zip[r.local + 30 + 2] = 0x74;
    }
    await invalid(zip, 'npz member "a.tpy"', "is not an .npy array");
    await invalid(fixture("npz/unsupported-member.npz"), 'npz member "z.npy" header', "'<c16' (complex)");
  });
});

describe("writeNpz", () => {
  it("refuses an empty name, a name that is not Unicode, and what is not arrays", () => {
    const data = { data: Float64Array.of(1), shape: [1] };
    expect(() => writeNpz({ "": data })).toThrow(expect.objectContaining({ code: "INVALID_ARRAY" }));
    expect(() => writeNpz({ "a\ud800": data })).toThrow(expect.objectContaining({ code: "INVALID_ARRAY", message: expect.stringContaining("not valid Unicode") }));
    expect(() => writeNpz([data] as never)).toThrow(expect.objectContaining({ code: "INVALID_ARRAY" }));
    expect(() => writeNpz({ a: { data: [1], shape: [1] } } as never)).toThrow(expect.objectContaining({ code: "INVALID_ARRAY" }));
  });

  it("refuses a name that is not a plain file name, which an unzip tool would write outside its folder", () => {
    const data = { data: Float64Array.of(1), shape: [1] };
    const refused = (name: string, rule: string) =>
      expect(() => writeNpz({ [name]: data }), JSON.stringify(name)).toThrow(
        expect.objectContaining({ code: "INVALID_ARRAY", message: expect.stringContaining(`the array name ${JSON.stringify(name)} ${rule}`) }),
      );
    refused("", "is empty");
    for (const name of ["../evil", "/etc/x", "a/b", "..\\evil", "C:\\x"]) refused(name, "holds a path separator");
    for (const name of [".", ".."]) refused(name, "is a path step");
    for (const name of ["a\0b", "a\nb", "\u007f", "\u0085"]) refused(name, "holds a control character");
    // What the package writes itself, and other plain names, still write and read back.
    const names = ["w1", "w2", "y_pred", "arr_0", "...", "a.b", "layer 1", "ünïcode", "__proto__"];
    const arrays = readNpz(writeNpz(Object.fromEntries(names.map((n) => [n, data]))));
    expect(Object.keys(arrays)).toEqual(names);
  });

  it("writes an empty archive for no arrays, which reads back as none", () => {
    expect(readNpz(writeNpz({}))).toEqual({});
  });
});
