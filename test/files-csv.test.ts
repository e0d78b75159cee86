// CSV: what the reader accepts (the forms numpy, pandas and spreadsheets write), what it refuses and
// where it says the problem is, and the writer's round trip.
import { describe, expect, it } from "vitest";
import { TwoLayerError } from "../src/errors.js";
import { readCsv, writeCsv, type CsvOptions } from "../src/files/index.js";

function invalid(input: string | Uint8Array, ...rest: [CsvOptions, ...string[]] | string[]): void {
  const options = typeof rest[0] === "object" ? (rest.shift() as CsvOptions) : {};
  const words = rest as string[];
  let error: unknown;
  try {
    readCsv(input, options);
  } catch (e) {
    error = e;
  }
  expect(error, `expected INVALID_FILE containing ${words.join(", ")}`).toBeInstanceOf(TwoLayerError);
  expect((error as TwoLayerError).code).toBe("INVALID_FILE");
  for (const w of words) expect((error as TwoLayerError).message).toContain(w);
}

describe("readCsv", () => {
  it("reads rows and columns, LF or CRLF, with or without a final newline or blank last lines", () => {
    for (const text of ["1,2\n3,4", "1,2\n3,4\n", "1,2\r\n3,4\r\n", "1,2\n3,4\n\n\n", "\ufeff1,2\n3,4\n"]) {
      const table = readCsv(text);
      expect(table.shape, JSON.stringify(text)).toEqual([2, 2]);
      expect(Array.from(table.data)).toEqual([1, 2, 3, 4]);
      expect(table.columns).toBeUndefined();
    }
  });

  it("reads the number forms Python prints and reads, with spaces around them", () => {
    const { data } = readCsv("1, -2.5 ,1e-05,.5,5.,+3,-0,nan,inf,-inf,NaN,Infinity,-infinity,1E+16");
    expect(Array.from(data)).toEqual([1, -2.5, 1e-5, 0.5, 5, 3, -0, NaN, Infinity, -Infinity, NaN, Infinity, -Infinity, 1e16]);
    expect(Object.is(data[6], -0)).toBe(true);
  });

  it("takes a first line of names, skips blank lines and # comments (np.savetxt's header)", () => {
    const table = readCsv('# made by np.savetxt\n"x 1",x2\n\n1,2\n# note\n3,4\n');
    expect(table.columns).toEqual(["x 1", "x2"]);
    expect(table.shape).toEqual([2, 2]);
  });

  it("reads one column as shape [rows, 1], and bytes as UTF-8", () => {
    expect(readCsv(new TextEncoder().encode("1\n2\n3\n")).shape).toEqual([3, 1]);
    expect(readCsv(new TextEncoder().encode("1\n").buffer).shape).toEqual([1, 1]);
  });

  it("lets header: true or false decide", () => {
    expect(readCsv("1,2\n3,4\n", { header: true }).columns).toEqual(["1", "2"]);
    expect(() => readCsv("a,b\n1,2\n", { header: false })).toThrow(expect.objectContaining({ message: expect.stringContaining("csv line 1, column 1") }));
  });
});

describe("readCsv refuses what is not a table of numbers, naming line and column", () => {
  it("a ragged row", () => invalid("1,2,3\n4,5,6\n7,8\n", "csv line 3", "has 2 fields but line 1 has 3"));
  it("a field that is not a number", () => invalid("1,2,3\n4,5,abc\n", "csv line 2, column 3", '"abc" is not a number'));
  it("an empty field", () => invalid("1,2\n3,\n", "csv line 2, column 2", "an empty field"));
  it("hex, underscores and quoted numbers", () => {
    invalid("1\n0x10\n", "csv line 2, column 1");
    invalid("1\n1_000\n", "csv line 2, column 1");
    invalid('1\n"2"\n', "csv line 2, column 1");
  });
  it("a first line that mixes names and numbers", () => invalid("x,2\n1,2\n", "csv line 1, column 1", "is it a header or data?"));
  it("no rows", () => {
    invalid("", "holds no rows");
    invalid("\n# only a comment\n\n", "holds no rows");
  });
  it("column names and no rows, as the JSDoc says", () => {
    invalid("a,b\n", "csv line 1", "is a line of column names, and no rows of numbers follow it");
    invalid("# c\n\nx1\n\n", "csv line 3", "no rows of numbers");
    invalid("1,2\n", { header: true }, "csv line 1", "no rows of numbers");
  });
  it("a tab- or semicolon-separated file, saying that only commas separate", () => {
    invalid("1\t2\t3\t4\t5\n", "csv line 1", "no rows of numbers", "looks tab-separated", "we read only commas");
    invalid("a;b\n1;2\n", "csv line 2, column 1", '"1;2" is not a number', "looks semicolon-separated");
    invalid("a,b\n1\t2\n", "csv line 2", "has 1 field but line 1 has 2", "looks tab-separated");
    // np.savetxt(f, x) without delimiter=: numbers between spaces, as written or with leading spaces.
    invalid("1.0 2.0\n3.0 4.0\n", "csv line 2", "looks space-separated");
    invalid(" 1.0  2.0\n 3.0  4.0\n", "csv line 2", "looks space-separated");
    invalid("a,b\n1,x;y\n", "csv line 2, column 2", '"x;y" is not a number');
    expect(() => readCsv("a,b\n1,x;y\n")).toThrow(expect.objectContaining({ message: expect.not.stringContaining("separated") }));
  });
  it("a long field that is not a number, quoted cut to 40 characters on the first line too", () => {
    for (const text of [`${"a".repeat(20_000)},1\n`, `1,2\n1,${"a".repeat(20_000)}\n`]) {
      expect(() => readCsv(text)).toThrow(expect.objectContaining({ message: expect.stringContaining(`"${"a".repeat(40)}"… is not a number`) }));
      expect(() => readCsv(text)).toThrow(expect.objectContaining({ message: expect.toSatisfy((m: string) => m.length < 200) }));
    }
  });
  it("a long field that is not a number, in linear time and a short message", () => {
    // The number pattern could split a run of digits two ways and backtracked through every split:
    // a field of a million digits and an "x" took hours. Each field is now matched in one pass.
    const digits = "1".repeat(1_000_000);
    for (const [text, where] of [[`1,${digits}x\n`, "csv line 1, column 2"], [`${digits}x,1\n`, "csv line 1, column 1"], [`1,2\n1,${digits}x\n`, "csv line 2, column 2"]]) {
      let message = "";
      try {
        readCsv(text);
      } catch (e) {
        message = (e as TwoLayerError).message;
      }
      expect(message).toContain(where);
      expect(message).toContain(`"${"1".repeat(40)}"… is not a number`);
      expect(message.length).toBeLessThan(200);
    }
  });
  it("bytes that are not UTF-8", () => invalid(Uint8Array.of(0x31, 0xff, 0x0a), "csv", "not valid UTF-8"));
  it("what is not text or bytes, with INVALID_ARRAY", () => {
    expect(() => readCsv(42 as never)).toThrow(
      expect.objectContaining({ code: "INVALID_ARRAY", message: "readCsv takes the file's text as a string, or its bytes as a Uint8Array or ArrayBuffer, got 42" }),
    );
  });
});

describe("writeCsv", () => {
  it("writes Python's float format, one row per line, and reads back bit for bit", () => {
    const data = Float64Array.of(0.1, -0, 1e16, 6.947019049596736e-5, NaN, -Infinity);
    const text = writeCsv({ data, shape: [2, 3] });
    expect(text).toBe("0.1,-0.0,1e+16\n6.947019049596736e-05,nan,-inf\n");
    expect(readCsv(text).data).toEqual(data);
  });

  it("writes float32 as its shortest digits, which read back to the same float32", () => {
    const data = Float32Array.of(0.1, 1 / 3, 16777216, 1e-5);
    const text = writeCsv({ data, shape: [4] }, { columns: ["v"] });
    expect(text).toBe("v\n0.1\n0.33333334\n16777216.0\n1e-05\n");
    expect(Float32Array.from(readCsv(text).data)).toEqual(data);
  });

  it("writes nothing for no rows, and refuses what it cannot write", () => {
    expect(writeCsv({ data: new Float64Array(0), shape: [0, 3] })).toBe("");
    const bad = (array: unknown, options?: unknown) => expect(() => writeCsv(array as never, options as never)).toThrow(expect.objectContaining({ code: "INVALID_ARRAY" }));
    bad({ data: new Float64Array(8), shape: [2, 2, 2] });
    bad({ data: new Float64Array(0), shape: [2, 0] });
    bad({ data: new Float64Array(2), shape: [1, 2] }, { columns: ["a"] });
    bad({ data: new Float64Array(2), shape: [1, 2] }, { columns: ["a", "b,c"] });
  });
});

describe("readCsv options", () => {
  it("refuses a header option that is not true, false or auto, with INVALID_OPTION", () => {
    expect(() => readCsv("1\n", { header: "yes" as never })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
  });
});
