import { describe, expect, it } from "vitest";
import { pythonFloat } from "../src/format.js";
import fixture from "./fixtures/python-repr.json";

function fromHex(hex: string): number {
  return new DataView(new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16))).buffer).getFloat64(0);
}

describe("pythonFloat", () => {
  it(`formats ${fixture.cases.length} doubles exactly as Python ${fixture.python}'s repr (scripts/make-repr-fixture.py)`, () => {
    for (const [hex, repr] of fixture.cases) {
      const x = fromHex(hex);
      expect(pythonFloat(x), `bits ${hex}`).toBe(repr);
    }
  });

  it("prints the tutorial's first and last losses as the numpy program does", () => {
    expect(pythonFloat(26365524.19345431)).toBe("26365524.19345431");
    expect(pythonFloat(6.947019049596736e-5)).toBe("6.947019049596736e-05");
  });

  it("prints non-finite values as Python does", () => {
    expect(pythonFloat(NaN)).toBe("nan");
    expect(pythonFloat(Infinity)).toBe("inf");
    expect(pythonFloat(-Infinity)).toBe("-inf");
  });
});
