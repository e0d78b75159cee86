import { strFromU8 } from "fflate";
import { bytesText, invalidFile } from "./invalid.js";

// fflate reads the archive's names, methods and sizes for us (ZIP64 included; see zip-read.ts), but it
// trusts the file: it checks no record signature, bounds no entry count, and drops each member's
// CRC-32. This walk reads just those: where the central directory is, that each of its records is
// one, each record's name, recorded CRC-32 and where its local header is. It finds the directory
// exactly as fflate's unzipSync does (the last end-of-central-directory record, then the ZIP64 one if
// its locator is there), and zip-read.ts checks that both readings list the same names in the same
// order. memberData then finds a member's data behind its local header, as unzipSync finds it.

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const CENTRAL_SIZE = 46;
const LOCAL = 0x04034b50;
const LOCAL_SIZE = 30;
const ZIP64_EXTRA = 0x0001;
const FULL = 0xffffffff; // a 4-byte field whose value is in the ZIP64 extra field instead

/** One central-directory record: the member's name (decoded as fflate decodes it), its CRC-32 and its local header's offset. */
export interface DirectoryEntry {
  name: string;
  crc: number;
  local: number;
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
  const zip64 = u32(end - 20) === ZIP64_LOCATOR;
  if (zip64) {
    const record = u32(end - 12);
    if (u32(end - 8) !== 0 || u32(record) !== ZIP64_EOCD || record + 56 > bytes.length) {
      throw invalidFile(`${where} ZIP64 end of central directory`, "its locator points to no ZIP64 end record");
    }
    if (u32(record + 36) !== 0 || u32(record + 52) !== 0) {
      throw invalidFile(`${where} ZIP64 end of central directory`, "claims more than 2^32 members or a directory beyond 4 GiB");
    }
    count = u32(record + 32);
    offset = u32(record + 48);
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
    const extra = offset + CENTRAL_SIZE + nameLength;
    entries.push({ name, crc: u32(offset + 16), local: localOffset(view, offset, extra, extra + u16(offset + 30), zip64) });
    offset = next;
  }
  return entries;
}

// Where a record's local header is, read as fflate's z64hs reads it: in an archive with a ZIP64 end
// record, a 4-byte field of 0xFFFFFFFF means the ZIP64 extra field holds it, after the 8-byte
// uncompressed and compressed sizes that are 0xFFFFFFFF too. Without that extra field fflate refuses
// the archive, so we return the 4-byte value (-1 when the extra field is cut short).
function localOffset(view: DataView, record: number, extra: number, extraEnd: number, zip64: boolean): number {
  const local = view.getUint32(record + 42, true);
  if (!zip64 || local !== FULL) return local;
  const skipped = (view.getUint32(record + 24, true) === FULL ? 8 : 0) + (view.getUint32(record + 20, true) === FULL ? 8 : 0);
  for (let at = extra; at + 4 < extraEnd; at += 4 + view.getUint16(at + 2, true)) {
    if (view.getUint16(at, true) !== ZIP64_EXTRA) continue;
    const field = at + 4 + skipped;
    return field + 8 <= view.byteLength ? view.getUint32(field, true) + view.getUint32(field + 4, true) * 4294967296 : -1;
  }
  return local;
}

/**
 * The `size` bytes of a member's data, which follow its local header (at `entry.local`); `part`
 * names the member in errors: no local header there, or data that runs past the end of the file.
 */
export function memberData(bytes: Uint8Array, entry: DirectoryEntry, size: number, part: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.local;
  if (at < 0) throw invalidFile(part, "its directory record's ZIP64 extra field is cut short (the directory is damaged)");
  if (at + LOCAL_SIZE > bytes.length || view.getUint32(at, true) !== LOCAL) {
    throw invalidFile(part, `its directory record points to byte ${at}, where no local file header is (the directory is damaged)`);
  }
  const start = at + LOCAL_SIZE + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + size > bytes.length) {
    throw invalidFile(part, `its ${bytesText(size)} of data from byte ${start} run past the ${bytesText(bytes.length)} file (truncated?)`);
  }
  return bytes.subarray(start, start + size);
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
