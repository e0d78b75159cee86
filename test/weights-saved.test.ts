// What net.saveWeights writes, kept in test/fixtures/files/saved/ with the bits of the weights it
// holds (saved/expected.json, in the format of ours/expected.json). This test checks that
// saveWeights still writes exactly those bytes for the same network; `python3
// scripts/make-file-fixtures.py --check-ours` checks that np.load and safetensors.numpy.load_file
// read them bit for bit (a dev step: tests never need Python). TWOLAYER_WRITE_OURS=1 rewrites them
// after a deliberate change.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DType } from "../src/index.js";
import { hex, trainedSmall } from "./weights-harness.js";

const SAVED = new URL("./fixtures/files/saved/", import.meta.url);
const CASES = (["f64", "f32"] as DType[]).flatMap((dtype) => (["npz", "safetensors"] as const).map((format) => ({ dtype, format, file: `weights-${dtype}.${format}` })));

async function saved() {
  const out: Record<string, { bytes: Uint8Array; spec: Record<string, { type: string; shape: number[]; hex: string }> }> = {};
  for (const { dtype, format, file } of CASES) {
    const net = await trainedSmall({ dtype });
    const type = dtype === "f64" ? "f8" : "f4";
    out[file] = { bytes: net.saveWeights(format), spec: { w1: { type, shape: [7, 3], hex: hex(net.w1) }, w2: { type, shape: [3, 2], hex: hex(net.w2) } } };
    net.dispose();
  }
  return out;
}

describe("saveWeights writes the files numpy and safetensors were checked against", () => {
  it("the same bytes, holding the network's bits", async () => {
    const files = await saved();
    if (process.env.TWOLAYER_WRITE_OURS === "1") {
      mkdirSync(SAVED, { recursive: true });
      for (const [file, { bytes }] of Object.entries(files)) writeFileSync(new URL(file, SAVED), bytes);
      const spec = Object.fromEntries(Object.entries(files).map(([file, { spec }]) => [file, spec]));
      writeFileSync(new URL("expected.json", SAVED), `${JSON.stringify(spec, null, 1)}\n`);
    }
    const expected = JSON.parse(readFileSync(new URL("expected.json", SAVED), "utf8"));
    for (const [file, { bytes, spec }] of Object.entries(files)) {
      expect(Buffer.from(bytes).equals(readFileSync(new URL(file, SAVED))), file).toBe(true);
      expect(expected[file], file).toEqual(spec);
    }
  });
});
