// What a hostile user can type: every mistake is one line naming the flag, exit code 2, no stack
// trace; repeated flags are refused; numbers are read exactly or refused.
import { describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../src/cli/args.js";
import { flag, parseValue } from "../src/cli/flags.js";
import { helpText } from "../src/cli/help.js";
import { numberFromText } from "../src/cli/numbers.js";
import { checkOutput } from "../src/cli/outputs.js";
import { escapeUnsafe, quote, shownName } from "../src/cli/usage.js";
import { inFlagWords } from "../src/cli/words.js";
import { TwoLayerError } from "../src/errors.js";
import { trainOptions } from "../src/options.js";
import { expectUsageError, run, runAsync } from "./cli-child.js";

// The longest single argument Linux passes to a program (MAX_ARG_STRLEN is 128 KiB with its NUL).
const LONGEST_ARG = 131071;

const HOSTILE: [string[], RegExp][] = [
  [["train", "--n="], /--n takes an integer from 1 to 2147483647, got ""/],
  [["train", "--n", "1e400"], /--n takes an integer from 1 to 2147483647, got "1e400"/],
  [["train", "--lr", "1e400"], /--lr takes a finite number >= 0, got "1e400"/],
  [["train", "--lr", "1e-400"], /--lr "1e-400" is too small for a double \(it would be 0\)/],
  [["train", "--seed", "0x10"], /--seed takes an integer from 0 to 4294967295, got "0x10"/],
  [["train", "--seed", " 5"], /--seed takes an integer from 0 to 4294967295, got " 5"/],
  [["train", "--n", "٣"], /--n takes an integer from 1 to 2147483647, got "٣"/],
  [["train", "--n", "３"], /--n takes an integer from 1 to 2147483647, got "３"/],
  [["train", "--n", "64.000000000000001"], /--n takes an integer from 1 to 2147483647, got "64.000000000000001"/],
  [["train", "--every", "9007199254740993"], /--every takes an integer from 1 to 9007199254740991, got "9007199254740993"/],
  [["train", "--iterations", "1e8.5"], /--iterations takes an integer from 0 to 100000000, got "1e8.5"/],
  [["train", "--threads", "2.5"], /--threads takes an integer from 1 to 256 or auto, got "2.5"/],
  [["train", "--n", "3\n4"], /--n takes an integer from 1 to 2147483647, got "3\\n4"/],
  [["train", "---n", "3"], /unknown option ---n; did you mean --n\?/],
  [["train", "--=3"], /unknown option "--"/],
  [["train", "--\u001b[31mred"], /unknown option "--\\u001b\[31mred"/],
  [["train", "--n", "\u009b2J\u007f\u2028\u202e"], /--n takes an integer from 1 to 2147483647, got "\\u009b2J\\u007f\\u2028\\u202e"/],
  [["train", "-n", "3"], /unexpected argument "-n": options start with --; did you mean --n\?/],
  [["train", "a\nb"], /unexpected argument "a\\nb"/],
  [["train", "--", "extra"], /unexpected argument "extra" after "--"/],
  [["train", "--n", "3", "--n", "5"], /--n is given twice \("3", then "5"\): give each option once/],
  [["train", "--n=3", "--n", "3"], /--n is given twice/],
  [["train", "--quiet", "--quiet"], /--quiet is given twice: give each option once/],
  [["train", "--json", "a.json", "--json=b.json"], /--json is given twice/],
  [["train", "--json="], /--json needs a file name/],
  [["train", "--plot", ""], /--plot needs a file name/],
  [["train", "--n", "9".repeat(LONGEST_ARG)], /--n takes an integer from 1 to 2147483647, got "9{60}"… \(131071 characters\)/],
  [["train", `--${"x".repeat(LONGEST_ARG - 2)}`], /unknown option "--x{58}"… \(131071 characters\)/],
  [["train", "--json", `/${"d".repeat(LONGEST_ARG - 1)}`], /--json "\/d{59}"… \(131071 characters\): name too long \(ENAMETOOLONG\)/],
  [["train", "--dtype", "f32", "--dtype", "f64"], /--dtype is given twice/],
];

describe("hostile command lines", () => {
  // Titles show at most 80 characters of the arguments.
  const cases = HOSTILE.map(([args, message]) => [escapeUnsafe(JSON.stringify(args).slice(0, 80)), args, message] as const);
  it.concurrent.each(cases)("%s: one short line naming the flag, exit code 2", async (_, args, message) => {
    const result = await runAsync(args);
    expectUsageError(result, message);
    expect(result.stderr.length).toBeLessThan(300);
  });

  it('"--" ends the options: nothing after it is taken for one', () => {
    const { status, stderr } = run(["train", "--iterations", "1", "--quiet", "--"]);
    expect(status, stderr).toBe(0);
  });

  it("--help says that a repeated option is an error", () => {
    expect(helpText()).toContain("a repeated option is an error");
  });
});

describe("the parts, in process, with 10 MB of text", () => {
  const TEN_MB = 10 * 1024 * 1024;
  const refusal = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      if (error instanceof UsageError) return error.message;
      if (error instanceof TwoLayerError) return inFlagWords(error, new Map([["n", "9".repeat(TEN_MB)]]));
      throw error;
    }
    throw new Error("no refusal");
  };

  it("an unknown 10 MB option name is refused in a short message, without a typo search", () => {
    const message = refusal(() => parseArgs(["train", `--${"x".repeat(TEN_MB)}`]));
    expect(message).toMatch(/^unknown option "--x+"… \(10485762 characters\) \(see --help\)$/);
  });

  it("a 10 MB number is read and refused in a short message", () => {
    const args = parseArgs(["train", "--n", "9".repeat(TEN_MB)]);
    const value = parseValue(flag("n")!, args.given.get("n"));
    const message = refusal(() => trainOptions({ n: value }));
    expect(message).toMatch(/^--n takes an integer from 1 to 2147483647, got "9{60}"… \(10485760 characters\)$/);
  });

  it("a 10 MB output path is refused in a short message", () => {
    const message = refusal(() => checkOutput("json", `/${"d".repeat(TEN_MB)}`));
    expect(message.length).toBeLessThan(200);
    expect(message).toMatch(/^--json "\/d+"… \(10485761 characters\): /);
  });
});

describe("names in messages", () => {
  it("quote escapes what JSON.stringify leaves raw: DEL, C1 controls (U+009B starts a terminal command), U+2028/9, bidirectional controls", () => {
    expect(quote("a\u007f\u0085\u009b\u2028\u2029\u200f\u202e\u2066b")).toBe(String.raw`"a\u007f\u0085\u009b\u2028\u2029\u200f\u202e\u2066b"`);
    expect(quote("tab\there, é ok")).toBe(String.raw`"tab\there, é ok"`);
  });

  it("shownName: a plain name as typed, anything else quoted; a path whole, however long", () => {
    expect(shownName("/tmp/run-1/out.json")).toBe("/tmp/run-1/out.json");
    expect(shownName("my run.json")).toBe('"my run.json"');
    expect(shownName("a,b")).toBe('"a,b"');
    expect(shownName("a\nb.json")).toBe(String.raw`"a\nb.json"`);
    const long = `/${"d".repeat(200)} x.json`;
    expect(shownName(long)).toBe(JSON.stringify(long));
    expect(shownName("x".repeat(100), 60)).toBe(`"${"x".repeat(60)}"… (100 characters)`);
  });
});

describe("numbers from text", () => {
  it.each([
    ["64", 64],
    ["+64", 64],
    ["0064", 64],
    ["64.0", 64],
    ["6.4e1", 64],
    ["640e-1", 64],
    ["1e8", 1e8],
    ["-0", -0],
    ["9007199254740991", 9007199254740991],
  ])("integer %j is %d", (text, value) => {
    expect(numberFromText("n", text, "integer")).toBe(value);
  });

  it.each(["64.5", "64.000000000000001", "6.45e1", "1e-1", "9007199254740992", "1e400", "0x40", "", ".", "e5", "1_000", " 1", "１"])(
    "integer %j stays text (refused by the library)",
    (text) => {
      expect(numberFromText("n", text, "integer")).toBe(text);
    },
  );

  it.each([
    ["1e-6", 1e-6],
    [".5", 0.5],
    ["5.", 5],
    ["0", 0],
    ["0e-400", 0],
    ["1e-320", 1e-320],
    ["1e400", Infinity],
  ])("real %j is %d", (text, value) => {
    expect(numberFromText("lr", text, "real")).toBe(value);
  });

  it("a nonzero real that rounds to 0 is refused", () => {
    expect(() => numberFromText("lr", "1e-400", "real")).toThrow(UsageError);
    expect(() => numberFromText("lr", "0.000e-400", "real")).not.toThrow();
  });
});
