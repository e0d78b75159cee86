import { unzipSync, type UnzipFileInfo } from "fflate";
import { TwoLayerError } from "../errors.js";
import { inflateExactly } from "./inflate.js";
import { bytesText, invalidFile } from "./invalid.js";
import { crc32, memberData, readDirectory } from "./zip-directory.js";

// We read zip archives with fflate (0.8.3, pinned): one small dependency-free library that reads
// ZIP64 (numpy writes every .npz member with ZIP64 extra fields, sizes 0xFFFFFFFF in the local
// header) and inflates synchronously, the same code in every runtime. We chose it over the
// platform's DecompressionStream("deflate-raw") because that gives only inflate (we would still
// need a zip reader, which we do not want to hand-write), only asynchronously, and with each
// engine's own handling of truncated or trailing data.
// We import it as "fflate", not its "fflate/browser" subpath: Parcel (which reads no `exports`)
// cannot resolve a subpath. Under the `node` condition that is fflate's node build, which imports
// Node's "module" for the asynchronous API's workers (we use none of them).
//
// fflate trusts the file, so we check it first. Its filter hook shows us each member's name, sizes
// and method before anything is allocated; in that pass (it extracts nothing) we refuse what cannot
// be right (an unknown method, sizes larger than the file can hold or deflate can produce, duplicate
// names). We extract ourselves: unzipSync would inflate each member without a bound (inflate.ts), so
// zip-directory.ts finds each member's data behind its local header, and we copy a stored member and
// inflate a deflated one to exactly its declared size, then check its CRC-32 (which fflate drops).

/** One member of an archive: its name and its bytes (uncompressed). */
export interface ZipMember {
  name: string;
  data: Uint8Array;
}

// Deflate cannot expand more than 1032:1 (a 258-byte match per 2 bits); a claim beyond that is false.
const MAX_DEFLATE_RATIO = 1032;
const METHODS: Record<number, string> = { 1: "shrink", 6: "implode", 9: "deflate64", 12: "bzip2", 14: "lzma", 93: "zstd", 95: "xz", 99: "AES encryption" };

/** Runs fflate's reader, turning whatever it throws into INVALID_FILE. */
function fflate(bytes: Uint8Array, where: string, filter: (info: UnzipFileInfo) => boolean): Record<string, Uint8Array> {
  let current = "";
  try {
    return unzipSync(bytes, { filter: (info) => ((current = info.name), filter(info)) });
  } catch (error) {
    if (error instanceof TwoLayerError) throw error;
    const part = current === "" ? `${where} archive` : `${where} member ${JSON.stringify(current)}`;
    throw invalidFile(part, `cannot be read: ${(error as Error)?.message ?? String(error)}`, error);
  }
}

/**
 * Reads every member of the zip archive in `bytes` (stored or deflate, ZIP64 or not), in directory
 * order. `where` names the archive in messages ("npz"). A damaged archive, an unsupported
 * compression method, a member whose data inflates to more or less than its declared size, a CRC-32
 * mismatch or two members of one name throw a `TwoLayerError` with code `INVALID_FILE`.
 */
export function readZip(bytes: Uint8Array, where = "zip"): ZipMember[] {
  const directory = readDirectory(bytes, where);
  const infos: UnzipFileInfo[] = [];
  const seen = new Set<string>();
  let compressedTotal = 0;
  // First pass: look at every entry, extract nothing.
  fflate(bytes, where, (info) => {
    const part = `${where} member ${JSON.stringify(info.name)}`;
    const expected = directory[infos.length];
    if (expected === undefined || expected.name !== info.name) {
      throw invalidFile(`${where} central directory`, `record ${infos.length} cannot be read consistently (the directory is damaged)`);
    }
    if (seen.has(info.name)) throw invalidFile(part, "appears twice in the archive; each name must be unique");
    seen.add(info.name);
    if (info.compression !== 0 && info.compression !== 8) {
      const method = METHODS[info.compression] ? ` (${METHODS[info.compression]})` : "";
      throw invalidFile(part, `uses compression method ${info.compression}${method}; we read stored (0) and deflate (8), as np.savez and np.savez_compressed write`);
    }
    compressedTotal += info.size;
    if (info.size > bytes.length || compressedTotal > bytes.length) {
      throw invalidFile(part, `claims ${bytesText(info.size)} of compressed data; with the members before it that is more than the ${bytesText(bytes.length)} file holds`);
    }
    const limit = info.compression === 0 ? info.size : info.size * MAX_DEFLATE_RATIO + 64;
    if (info.originalSize > limit) {
      throw invalidFile(part, `claims it holds ${bytesText(info.originalSize)} from ${bytesText(info.size)} ${info.compression === 0 ? "stored" : "deflated"}, which cannot be`);
    }
    infos.push(info);
    return false;
  });
  if (infos.length !== directory.length) {
    throw invalidFile(`${where} central directory`, `lists ${directory.length} members but ${infos.length} could be read`);
  }
  // Then extract each member, to exactly its declared size, and check it against its directory entry.
  return infos.map((info, i) => {
    const part = `${where} member ${JSON.stringify(info.name)}`;
    const stored = memberData(bytes, directory[i], info.size, part);
    const data = info.compression === 0 ? stored.slice() : inflateExactly(stored, info.originalSize, part);
    if (data.length !== info.originalSize) {
      throw invalidFile(part, `holds ${bytesText(data.length)}, its directory entry says ${bytesText(info.originalSize)} (truncated?)`);
    }
    const crc = crc32(data);
    if (crc !== directory[i].crc) {
      throw invalidFile(part, `CRC-32 is ${hex(crc)} but the archive records ${hex(directory[i].crc)}: the data is damaged`);
    }
    return { name: info.name, data };
  });
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}
