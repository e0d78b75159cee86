// --json is streamed: the same text as JSON.stringify of the run, written chunk by chunk, so that a
// run of 10^8 iterations (2 × 10^9 characters, four times V8's longest string) can be written.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JSON_FIELDS } from "../src/cli/flags.js";
import { jsonChunks, LOSSES_PER_CHUNK, type JsonRun } from "../src/cli/json-output.js";
import { MAX_ITERATIONS } from "../src/options.js";
import { run, tempDir, TINY } from "./cli-child.js";

/** What --json wrote before it was streamed: one JSON.stringify of the whole run. */
function wholeJson(run: JsonRun): string {
  const fields: Record<string, unknown> = { ...run, losses: Array.from(run.losses) };
  return JSON.stringify(Object.fromEntries(JSON_FIELDS.map((name) => [name, fields[name]]))) + "\n";
}

const loss = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, Number.MIN_VALUE, Number.MAX_VALUE, 1e21, 1e-7, 6.947019049462002e-5),
);

describe("jsonChunks", () => {
  it("joins to exactly the text of one JSON.stringify (non-finite losses as null, numbers formatted alike)", () => {
    fc.assert(
      fc.property(
        fc.array(loss, { maxLength: 200 }).map((values) => Float64Array.from(values)),
        fc.integer({ min: 1, max: 17 }),
        fc.record({ config: fc.jsonValue(), seconds: fc.double(), backend: fc.option(fc.string(), { nil: undefined }), status: fc.string() }),
        (losses, perChunk, rest) => {
          const runValue = { ...rest, losses } as JsonRun;
          expect([...jsonChunks(runValue, perChunk)].join("")).toBe(wholeJson(runValue));
        },
      ),
      { numRuns: 300 },
    );
  });

  it(`is lazy and bounded for a run of ${MAX_ITERATIONS} losses: no chunk holds more than ${LOSSES_PER_CHUNK} of them`, () => {
    // A source of 10^8 losses computed on demand; we read the first chunks only.
    const losses = new Proxy({} as ArrayLike<number>, {
      get: (_, key) => (key === "length" ? MAX_ITERATIONS : typeof key === "string" ? 1 / (Number(key) + 3) : undefined),
    });
    const chunks = jsonChunks({ config: {}, losses, seconds: 1, backend: "wasm-simd", status: "completed" });
    const first = Array.from({ length: 6 }, () => chunks.next().value as string);
    expect(first.slice(0, 2)).toEqual(['{"config":{}', ',"losses":[']);
    for (const chunk of first.slice(2)) {
      expect(chunk.split(",").filter(Boolean)).toHaveLength(LOSSES_PER_CHUNK);
      expect(chunk.length).toBeLessThan(LOSSES_PER_CHUNK * 25);
    }
  });
});

describe("--json in a child with a 32 MB heap", () => {
  it("writes 2,000,000 losses (44 MB of JSON, which one JSON.stringify could not build in that heap)", () => {
    const dir = tempDir();
    const json = join(dir, "run.json");
    const { status, stderr, signal } = run(["train", ...TINY, "--iterations", "2000000", "--quiet", "--json", json], {}, ["--max-old-space-size=32"]);
    expect({ status, signal }, stderr).toEqual({ status: 0, signal: null });
    const out = JSON.parse(readFileSync(json, "utf8"));
    expect(out.losses).toHaveLength(2_000_000);
    expect(out.status).toBe("completed");
    expect(Object.keys(out)).toEqual([...JSON_FIELDS]);
  });
});
