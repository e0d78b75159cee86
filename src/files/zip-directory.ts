import { strFromU8 } from "fflate";
import { bytesText, invalidFile } from "./invalid.js";

// fflate reads the archive for us (ZIP64 sizes, data, inflate; see zip-read.ts), but it trusts the
// file: it checks no record signature, bounds no entry count, and drops each member's CRC-32. This
// walk reads just those: where the central directory is, that each of its records is one, each
// record's name and recorded CRC-32. It finds the directory exactly as fflate's unzipSync does (the
// last end-of-central-directory record, then the ZIP64 one if its locator is there), and zip-read.ts
// checks that both readings list the same names in the same order.

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const CENTRAL_SIZE = 46;

/** One central-directory record: the member's name (decoded as fflate decodes it) and its CRC-32. */
export interface DirectoryEntry {
  name: string;
  crc: number;
}

/** Whether `bytes` starts like a zip archive (a local file header, or the end record of an empty zip). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

/** Lists the central directory of the zip in `bytes`; `where` names the archive in errors. */
export function readDirectory(bytes: Uint8Array, where: string): DirectoryEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number) => (at >= 0 && at + 4 <= bytes.length ? view.getUint32(at, true) : -1);
  const u16 = (at: number) => view.getUint16(at, true);

  // The end record is 22 bytes plus a comment of at most 65535.
  let end = bytes.length - 22;
  const lowest = Math.max(0, bytes.length - 22 - 65535);
  while (end >= lowest && u32(end) !== EOCD) end--;
  if (end < lowest) throw invalidFile(`${where} end of central directory`, "not found: the archive is truncated or not a zip");
  if (u16(end + 4) !== 0 || u16(end + 6) !== 0 || u16(end + 8) !== u16(end + 10)) {
    throw invalidFile(`${where} end of central directory`, "describes an archive split over several disks, which we do not read");
  }
  let count = u16(end + 8);
  let offset = u32(end + 16);
  if (u32(end - 20) === ZIP64_LOCATOR) {
    const zip64 = u32(end - 12);
    if (u32(end - 8) !== 0 || u32(zip64) !== ZIP64_EOCD || zip64 + 56 > bytes.length) {
      throw invalidFile(`${where} ZIP64 end of central directory`, "its locator points to no ZIP64 end record");
    }
    if (u32(zip64 + 36) !== 0 || u32(zip64 + 52) !== 0) {
      throw invalidFile(`${where} ZIP64 end of central directory`, "claims more than 2^32 members or a directory beyond 4 GiB");
    }
    count = u32(zip64 + 32);
    offset = u32(zip64 + 48);
  }
  if (count > (bytes.length - Math.min(offset, bytes.length)) / CENTRAL_SIZE) {
    throw invalidFile(
      `${where} central directory`,
      `claims ${count} members starting at byte ${offset}, more than the ${bytesText(bytes.length)} file can hold`,
    );
  }

  const entries: DirectoryEntry[] = [];
  for (let i = 0; i < count; i++) {
    const part = `${where} central directory record ${i}`;
    if (offset + CENTRAL_SIZE > bytes.length || u32(offset) !== CENTRAL) {
      throw invalidFile(part, `no central directory record at byte ${offset} (the directory is damaged)`);
    }
    const nameLength = u16(offset + 28);
    const next = offset + CENTRAL_SIZE + nameLength + u16(offset + 30) + u16(offset + 32);
    if (next > bytes.length) throw invalidFile(part, "runs past the end of the file");
    const utf8 = (u16(offset + 8) & 0x800) !== 0;
    const name = strFromU8(bytes.subarray(offset + CENTRAL_SIZE, offset + CENTRAL_SIZE + nameLength), !utf8);
    entries.push({ name, crc: u32(offset + 16) });
    offset = next;
  }
  return entries;
}

// CRC-32 as zip computes it (IEEE 802.3, reflected polynomial 0xEDB88320), one table byte at a time.
const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** The CRC-32 of `bytes` as zip records it, an unsigned 32-bit integer. */
export function crc32(bytes: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
