import { zipSync } from "fflate";
import { TwoLayerError } from "../errors.js";
import { checkArrays } from "./check-array.js";
import { invalidFile, quoted } from "./invalid.js";
import type { ElementType } from "./elements.js";
import { readNpyStored } from "./npy-read.js";
import { writeNpy } from "./npy-write.js";
import { putArray, type NdArray, type NdArrays } from "./types.js";
import { readZip } from "./zip-read.js";

// An .npz is a zip archive of .npy files, one per array, each named "<array>.npy" (np.savez stores
// them, np.savez_compressed deflates them).

// Python's zipfile's default ZipInfo date, which np.savez writes too: 1980-01-01 00:00:00. We make
// the Date in local time because fflate writes the DOS date from local fields: every time zone then
// writes the same bytes.
const ZIP_EPOCH = new Date(1980, 0, 1, 0, 0, 0);

/**
 * Reads an .npz archive (as np.savez or np.savez_compressed writes it) into `{ name: { data, shape } }`,
 * each name the member's without ".npy" (np.savez(f, a) names its array "arr_0"). A member that is
 * not an .npy, or any malformed member, throws a `TwoLayerError` with code `INVALID_FILE`.
 */
export function readNpz(bytes: Uint8Array): NdArrays {
  const out: NdArrays = {};
  for (const [name, { array }] of Object.entries(readNpzStored(bytes))) putArray(out, name, array);
  return out;
}

/** readNpz, with the element type each member stores. */
export function readNpzStored(bytes: Uint8Array): Record<string, { array: NdArray; stored: ElementType }> {
  const out: Record<string, { array: NdArray; stored: ElementType }> = {};
  for (const { name, data } of readZip(bytes, "npz")) {
    if (!name.endsWith(".npy")) {
      throw invalidFile(`npz member ${JSON.stringify(name)}`, "is not an .npy array; an .npz holds only <name>.npy members");
    }
    putArray(out, name.slice(0, -4), readNpyStored(data, `npz member ${JSON.stringify(name)}`));
  }
  return out;
}

// Each array becomes the member "<name>.npy", a path that unzip tools write to disk as it is: a name
// "../evil" or "/etc/x" would land outside the folder it is unpacked in, "a/b" in a subfolder. np.load
// reads any name, but we write only names that are one plain file name.
function checkMemberName(name: string): void {
  const problem =
    name === "" ? "is empty"
    : /[/\\]/.test(name) ? "holds a path separator ('/' or '\\')"
    : name === "." || name === ".." ? "is a path step ('.' or '..')"
    : /[\u0000-\u001f\u007f-\u009f]/.test(name) ? "holds a control character"
    : undefined;
  if (problem === undefined) return;
  throw new TwoLayerError(
    "INVALID_ARRAY",
    `writeNpz: the array name ${quoted(name, 60)} ${problem}; each name becomes a member "<name>.npy" of the archive, ` +
      `so it must be a plain file name: not empty, without '/', '\\' or control characters, not "." or ".."`,
  );
}

/**
 * Writes named arrays as an .npz archive in np.savez's layout: one stored (uncompressed) member
 * "<name>.npy" per array, each the bytes `writeNpy` writes; `np.load` reads it. We write no ZIP64
 * extra fields (numpy does not need them below 4 GiB) and the fixed date 1980-01-01, so the same
 * arrays always give the same bytes. Throws a `TwoLayerError` (`INVALID_ARRAY`) for a bad argument, a
 * name that is not a plain file name (empty, with '/', '\' or a control character, "." or "..") or
 * an archive that would pass 4 GiB.
 */
export function writeNpz(arrays: NdArrays): Uint8Array {
  const members: Record<string, Uint8Array> = Object.create(null);
  let total = 0;
  for (const [name, array] of checkArrays(arrays, "writeNpz")) {
    checkMemberName(name);
    members[`${name}.npy`] = writeNpy(array);
    total += members[`${name}.npy`].length + 2 * (name.length * 3 + 4) + 76;
  }
  if (total > 0xffffffff - 22) {
    throw new TwoLayerError("INVALID_ARRAY", "writeNpz: the arrays pass 4 GiB, more than a zip without ZIP64 holds; save them as separate .npy files");
  }
  return zipSync(members, { level: 0, mtime: ZIP_EPOCH });
}
