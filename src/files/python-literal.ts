import { invalidFile } from "./invalid.js";

// The header of an .npy file is a Python dict literal, as numpy writes it with repr():
// {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
// We read the small part of Python's literal syntax such headers use (dicts, tuples, lists, strings,
// integers, True/False/None) and nothing else: no eval, a bounded nesting depth (so a hostile header
// cannot overflow the stack), and every error says at which character the header went wrong.

/**
 * A Python value from a literal: str, int (a number, or a bigint beyond 2^53 − 1, so that no digit of
 * it is lost), bool, None, tuple, list, or dict with str keys.
 */
export type PyValue = string | number | bigint | boolean | null | PyTuple | PyList | PyDict;
/** A Python tuple, `(3, 4)`. */
export interface PyTuple {
  kind: "tuple";
  items: PyValue[];
}
/** A Python list, `[('a', '<f8')]`. */
export interface PyList {
  kind: "list";
  items: PyValue[];
}
/** A Python dict whose keys are strings, in the order written. */
export interface PyDict {
  kind: "dict";
  entries: Map<string, PyValue>;
}

const MAX_DEPTH = 32;
const ESCAPES: Record<string, string> = { "\\": "\\", "'": "'", '"': '"', n: "\n", t: "\t", r: "\r", "0": "\0" };

/** Parses `text` as one Python literal (surrounding whitespace allowed); `part` names it in errors. */
export function parsePythonLiteral(text: string, part: string): PyValue {
  let at = 0;
  const fail = (what: string): never => {
    const shown = text.length > 120 ? `${text.slice(0, 120)}…` : text;
    throw invalidFile(part, `cannot read ${JSON.stringify(shown.trimEnd())} as a Python literal: ${what} at character ${at}`);
  };
  const skipSpace = () => {
    while (at < text.length && " \t\r\n".includes(text[at])) at++;
  };
  const expect = (char: string) => {
    skipSpace();
    if (text[at] !== char) fail(`expected '${char}'`);
    at++;
  };

  const readString = (): string => {
    const quote = text[at++];
    let out = "";
    while (at < text.length && text[at] !== quote) {
      let char = text[at++];
      if (char === "\\") {
        const escaped = text[at++];
        if (escaped === "x" || escaped === "u") {
          const digits = text.slice(at, at + (escaped === "x" ? 2 : 4));
          if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== (escaped === "x" ? 2 : 4)) fail("bad escape in a string");
          char = String.fromCharCode(parseInt(digits, 16));
          at += digits.length;
        } else if (escaped !== undefined && escaped in ESCAPES) {
          char = ESCAPES[escaped];
        } else {
          fail("an escape we do not read in a string");
        }
      }
      out += char;
    }
    if (at >= text.length) fail("a string that never ends");
    at++;
    return out;
  };

  const readWord = (): PyValue => {
    const match = /^[+-]?[0-9]+L?|^[A-Za-z_][A-Za-z_0-9]*/.exec(text.slice(at, at + 40));
    if (match === null) return fail("expected a value");
    const word = match[0];
    at += word.length;
    if (word === "True") return true;
    if (word === "False") return false;
    if (word === "None") return null;
    // Python 2 numpy wrote long integers with an L suffix: (3L, 4L).
    if (/^[+-]?[0-9]+L?$/.test(word)) {
      const value = BigInt(word.replace("L", ""));
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
    }
    return fail(`unexpected name ${word}`);
  };

  // Reads items up to `close`; returns them and whether a comma came after the last one.
  const readItems = (close: string, depth: number): [PyValue[], boolean] => {
    const items: PyValue[] = [];
    let trailingComma = false;
    for (;;) {
      skipSpace();
      if (text[at] === close) break;
      items.push(readValue(depth));
      skipSpace();
      trailingComma = text[at] === ",";
      if (!trailingComma) break;
      at++;
    }
    expect(close);
    return [items, trailingComma];
  };

  const readDict = (depth: number): PyDict => {
    const entries = new Map<string, PyValue>();
    for (;;) {
      skipSpace();
      if (text[at] === "}") break;
      const keyAt = at;
      const key = readValue(depth);
      if (typeof key !== "string") fail(`a dict key that is not a string (at character ${keyAt})`);
      if (entries.has(key as string)) fail(`the key '${key}' a second time`);
      expect(":");
      entries.set(key as string, readValue(depth));
      skipSpace();
      if (text[at] !== ",") break;
      at++;
    }
    expect("}");
    return { kind: "dict", entries };
  };

  const readValue = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
    skipSpace();
    const char = text[at];
    if (char === "'" || char === '"') return readString();
    if (char === "{") {
      at++;
      return readDict(depth + 1);
    }
    if (char === "[") {
      at++;
      return { kind: "list", items: readItems("]", depth + 1)[0] };
    }
    if (char === "(") {
      at++;
      const [items, trailingComma] = readItems(")", depth + 1);
      // As in Python, (3) is the integer 3; (3,) and () are tuples.
      return items.length === 1 && !trailingComma ? items[0] : { kind: "tuple", items };
    }
    return readWord();
  };

  const value = readValue(0);
  skipSpace();
  if (at !== text.length) fail("more text after the literal");
  return value;
}
