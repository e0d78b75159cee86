import { describe, expect, it } from "vitest";
import { lossPlotSvg } from "../src/plot/loss-plot.js";

// ---- helpers: a tiny SVG reader, enough for what lossPlotSvg emits ----

/** Throws unless every tag is closed in order and the text holds no stray "<" or "&". */
function checkWellFormed(svg: string): void {
  const stack: string[] = [];
  const re = /<[^>]*>/g;
  let last = 0;
  for (let m = re.exec(svg); m; m = re.exec(svg)) {
    const text = svg.slice(last, m.index);
    expect(text).not.toMatch(/[<>]/);
    expect(text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, "")).not.toContain("&");
    last = m.index + m[0].length;
    const tag = m[0];
    expect(tag).not.toMatch(/^<\s/);
    if (tag.startsWith("</")) {
      const name = tag.slice(2, -1).trim();
      expect(stack.pop()).toBe(name);
    } else if (!tag.endsWith("/>")) {
      stack.push(/^<([A-Za-z][\w:-]*)/.exec(tag)![1]);
    }
    // attribute values are quoted and hold no raw "<"
    const attrs = tag.replace(/^<\/?[\w:-]+/, "").replace(/\/?>$/, "");
    expect(attrs.replace(/\s*[\w:-]+="[^"<]*"/g, "").trim()).toBe("");
  }
  expect(stack).toEqual([]);
  expect(svg.slice(last).trim()).toBe("");
}

interface ParsedTick {
  value: number;
  y: number;
  x: number;
  label?: string; // text content with tags removed
}

function ticks(svg: string, axis: "x" | "y"): ParsedTick[] {
  const re = new RegExp(`<g class="${axis}tick" data-value="([^"]*)"><line x1="([^"]*)" y1="([^"]*)"[^>]*/>(?:<text[^>]*>(.*?)</text>)?</g>`, "g");
  const out: ParsedTick[] = [];
  for (const m of svg.matchAll(re)) {
    out.push({ value: Number(m[1]), x: Number(m[2]), y: Number(m[3]), label: m[4]?.replace(/<[^>]*>/g, "") });
  }
  return out;
}

function polylines(svg: string): Array<Array<[number, number]>> {
  return [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((m) =>
    m[1].split(" ").map((p) => p.split(",").map(Number) as [number, number]),
  );
}

function numbersInAttributes(svg: string): string[] {
  return [...svg.matchAll(/\s[\w:-]+="([^"]*)"/g)].map((m) => m[1]);
}

/** The realistic curve: the numpy warm-up's loss falls from ~2.6e7 to ~7e-5 in 500 steps. */
function realistic(): number[] {
  let seed = 42;
  const rnd = () => ((seed = (seed * 16807) % 2147483647), seed / 2147483647);
  return Array.from({ length: 500 }, (_, t) => 2.6e7 * Math.exp(-t / 12) * (1 + 0.2 * (rnd() - 0.5)) + 7e-5);
}

const NASTY: Array<[string, ArrayLike<number>]> = [
  ["empty", []],
  ["single", [3.5]],
  ["single zero", [0]],
  ["constant", new Array(100).fill(7)],
  ["constant zero", new Array(100).fill(0)],
  ["all NaN", [NaN, NaN, NaN]],
  ["NaN and infinities", [1, NaN, 2, Infinity, 3, -Infinity, 4]],
  ["negatives and zeros", [5, 0, -3, 2, -1e300, 0, 1e-3]],
  ["all negative", [-1, -2, -3]],
  ["huge range", [1e308, 1e200, 1, 1e-100, 1e-300]],
  ["extremes", [Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 5e-324]],
  ["denormal constant", [5e-324, 5e-324]],
  ["tiny span", [1, 1 + Number.EPSILON, 1]],
  ["typed array", new Float32Array([3, 2, 1, 0.5])],
  ["holes and junk", [1, undefined, "2", null, 3] as unknown as number[]],
];

// ---- tests ----

describe("lossPlotSvg: document structure", () => {
  it("is a standalone SVG document with size, viewBox and namespace", () => {
    const svg = lossPlotSvg(realistic());
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    const open = /^<svg[^>]*>/.exec(svg)![0];
    expect(open).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(open).toContain('width="800"');
    expect(open).toContain('height="500"');
    expect(open).toContain('viewBox="0 0 800 500"');
    expect(open).toMatch(/font-family="[^"]*sans-serif"/);
    checkWellFormed(svg);
  });

  it("honours width and height", () => {
    const svg = lossPlotSvg(realistic(), { width: 640, height: 360 });
    const open = /^<svg[^>]*>/.exec(svg)![0];
    expect(open).toContain('width="640"');
    expect(open).toContain('height="360"');
    expect(open).toContain('viewBox="0 0 640 360"');
    // everything drawn stays inside the figure
    for (const t of [...ticks(svg, "x"), ...ticks(svg, "y")]) {
      expect(t.x).toBeGreaterThan(0);
      expect(t.x).toBeLessThan(640);
      expect(t.y).toBeGreaterThan(0);
      expect(t.y).toBeLessThan(360);
    }
    for (const line of polylines(svg)) for (const [x, y] of line) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(640);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(360);
    }
  });

  it("draws one blue line, a white background and an axes box", () => {
    const svg = lossPlotSvg(realistic());
    expect(svg).toMatch(/<rect[^>]*fill="#ffffff"/);
    expect(svg).toMatch(/<rect class="axes"/);
    expect(svg).toMatch(/<g class="line"[^>]*stroke="#1f77b4"/);
    const lines = polylines(svg);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toHaveLength(500);
    // x grows with t
    for (let i = 1; i < lines[0].length; i++) expect(lines[0][i][0]).toBeGreaterThan(lines[0][i - 1][0]);
  });

  it("labels the axes 'train num' and 'loss' (rotated)", () => {
    for (const scale of ["log", "linear"] as const) {
      const svg = lossPlotSvg(realistic(), { scale });
      expect(svg).toMatch(/<text class="xlabel"[^>]*>train num<\/text>/);
      expect(svg).toMatch(/<text class="ylabel"[^>]*rotate\(-90\)[^>]*>loss<\/text>/);
    }
  });

  it("draws no title unless asked, and XML-escapes the title", () => {
    expect(lossPlotSvg(realistic())).not.toContain('class="title"');
    const svg = lossPlotSvg(realistic(), { title: `a<b> & "c" 'd' </svg>` });
    expect(svg).toContain("a&lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &lt;/svg&gt;");
    expect(svg).not.toContain("a<b>");
    expect(svg.match(/<\/svg>/g)).toHaveLength(1);
    expect(svg).toMatch(/<text class="title"[^>]*>a&lt;b&gt;/);
    checkWellFormed(svg);
    // control characters are not allowed in XML 1.0 at all
    const ctl = lossPlotSvg([1, 2], { title: "x\u0001y\u0000z" });
    expect(ctl).toMatch(/>xyz<\/text>/);
  });
});

describe("lossPlotSvg: log scale (default)", () => {
  it("puts major ticks at every decade of 1e-5 … 1e8, in increasing screen order", () => {
    const losses = Array.from({ length: 500 }, (_, t) => 10 ** (8 - (13 * t) / 499));
    const svg = lossPlotSvg(losses);
    const labelled = ticks(svg, "y").filter((t) => t.label !== undefined);
    const decades = labelled.map((t) => Math.round(Math.log10(t.value)));
    for (let k = -5; k <= 8; k++) expect(decades).toContain(k);
    for (const t of labelled) expect(t.value).toBe(Number(`1e${Math.round(Math.log10(t.value))}`));
    // larger values higher up (smaller y), evenly spaced
    const sorted = [...labelled].sort((a, b) => a.value - b.value);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i].y).toBeLessThan(sorted[i - 1].y);
    const gaps = sorted.slice(1).map((t, i) => sorted[i].y - t.y);
    for (const g of gaps) expect(Math.abs(g - gaps[0])).toBeLessThanOrEqual(1.01);
    // labels are 10 with a superscript exponent and a real minus sign
    const l = labelled.find((t) => t.value === 1e-5)!;
    expect(l.label).toBe("10\u22125");
    expect(svg).toMatch(/10<tspan dy="-[\d.]+" font-size="[\d.]+">\u22125<\/tspan>/);
    expect(labelled.find((t) => t.value === 1e8)!.label).toBe("108");
  });

  it("labels the realistic curve from 1e-4 to 1e7", () => {
    const labelled = ticks(lossPlotSvg(realistic()), "y").filter((t) => t.label !== undefined);
    const decades = labelled.map((t) => Math.log10(t.value));
    expect(Math.min(...decades)).toBe(-4);
    expect(Math.max(...decades)).toBe(7);
  });

  it("thins the decade labels over a huge range so they never overlap", () => {
    const losses = Array.from({ length: 1000 }, (_, t) => 10 ** (308 - 0.608 * t));
    for (const height of [500, 250]) {
      const svg = lossPlotSvg(losses, { height });
      const labelled = ticks(svg, "y")
        .filter((t) => t.label !== undefined)
        .sort((a, b) => a.value - b.value);
      expect(labelled.length).toBeGreaterThanOrEqual(3);
      const exps = labelled.map((t) => Math.round(Math.log10(t.value)));
      const stride = exps[1] - exps[0];
      expect(stride).toBeGreaterThan(1);
      for (let i = 1; i < exps.length; i++) expect(exps[i] - exps[i - 1]).toBe(stride);
      for (const e of exps) expect(Math.abs(e % stride)).toBe(0);
      // at least ~1.5 lines of text between labels
      for (let i = 1; i < labelled.length; i++) expect(labelled[i - 1].y - labelled[i].y).toBeGreaterThan(20);
    }
  });

  it("skips zeros, negatives and non-finite values, breaking the line there", () => {
    const svg = lossPlotSvg([4, 3, 0, 2, 1, -1, 0.5, 0.25, NaN, 0.1, Infinity, 0.05]);
    const lines = polylines(svg);
    expect(lines.map((l) => l.length)).toEqual([2, 2, 2]);
    // isolated drawable points are drawn as dots
    expect(svg.match(/<circle /g)).toHaveLength(2);
  });

  it("labels 1, 2, 5 × 10^k when the data span less than a decade", () => {
    const labelled = ticks(lossPlotSvg([3, 2.5, 2.2, 2.1, 2.05]), "y").filter((t) => t.label !== undefined);
    expect(labelled.length).toBeGreaterThanOrEqual(2);
    for (const t of labelled) {
      const k = Math.floor(Math.log10(t.value) + 1e-9);
      expect([1, 2, 5]).toContain(Math.round(t.value / 10 ** k));
      expect(Number(t.label)).toBe(t.value);
    }
  });
});

describe("lossPlotSvg: linear scale", () => {
  function checkNice(values: number[]) {
    expect(values.length).toBeGreaterThanOrEqual(2);
    expect(values.length).toBeLessThanOrEqual(10);
    // step = (last - first) / (count - 1), computed in halves so that ±1e308 does not overflow
    const step = ((values[values.length - 1] / 2 - values[0] / 2) / (values.length - 1)) * 2;
    const k = Math.floor(Math.log10(step) + 1e-9);
    const m = step / 10 ** k;
    expect([1, 2, 5].some((n) => Math.abs(m - n) < 1e-6)).toBe(true);
    for (let i = 1; i < values.length; i++) {
      expect(Math.abs(values[i] / 2 - values[i - 1] / 2 - step / 2)).toBeLessThan(step * 1e-6);
    }
    // multiples of the step, written as the shortest decimal (no 2.4999999 noise)
    for (const v of values) {
      expect(Math.abs(v / step - Math.round(v / step))).toBeLessThan(1e-6);
      expect(String(v)).toMatch(/^-?\d+(\.\d{1,12})?(e[-+]\d+)?$/);
      expect(String(v).replace(/^-/, "").replace(/e.*$/, "").replace(".", "").replace(/^0+/, "").length).toBeLessThanOrEqual(10);
    }
  }

  it("uses nice ticks with a shared ×10^E for the realistic curve", () => {
    const svg = lossPlotSvg(realistic(), { scale: "linear" });
    const yt = ticks(svg, "y").sort((a, b) => a.value - b.value);
    checkNice(yt.map((t) => t.value));
    expect(yt.map((t) => t.value)).toContain(0);
    expect(yt.map((t) => t.value)).toContain(2e7);
    for (let i = 1; i < yt.length; i++) expect(yt[i].y).toBeLessThan(yt[i - 1].y);
    // the labels are mantissas of the multiplier shown above the axes
    const offset = /<text class="offset"[^>]*>(.*?)<\/text>/.exec(svg);
    expect(offset).not.toBeNull();
    expect(offset![1].replace(/<[^>]*>/g, "")).toBe("×107");
    for (const t of yt) expect(Number(t.label) * 1e7).toBeCloseTo(t.value, -1);
    expect(yt.find((t) => t.value === 2e7)!.label).toMatch(/^2(\.0+)?$/);
  });

  it("uses plain numbers when they are short", () => {
    const cases: number[][] = [
      [0, 1],
      [0.5, 3.7, 1.2],
      [-40, 1234],
      [0.0021, 0.0001],
      [97, 103],
    ];
    for (const losses of cases) {
      const svg = lossPlotSvg(losses, { scale: "linear" });
      expect(svg).not.toContain('class="offset"');
      const yt = ticks(svg, "y").sort((a, b) => a.value - b.value);
      checkNice(yt.map((t) => t.value));
      for (const t of yt) expect(Number(t.label!.replace("\u2212", "-"))).toBeCloseTo(t.value, 12);
      // the ticks cover most of the data range
      const lo = Math.min(...losses);
      const hi = Math.max(...losses);
      expect(yt[yt.length - 1].value - yt[0].value).toBeGreaterThanOrEqual((hi - lo) * 0.5);
    }
  });

  it("draws negative values with a minus sign and the full range", () => {
    const svg = lossPlotSvg([-3, -1, 2], { scale: "linear" });
    const labels = ticks(svg, "y").map((t) => t.label);
    expect(labels.some((l) => l!.startsWith("\u2212"))).toBe(true);
    expect(polylines(svg)[0]).toHaveLength(3);
  });

  it("uses nice ticks for tiny and enormous ranges", () => {
    for (const losses of [[1e-300, 3e-300], [1e300, 9e300], [-1e308, 1e308], [123456789, 123456790]]) {
      const svg = lossPlotSvg(losses, { scale: "linear" });
      checkNice(ticks(svg, "y").map((t) => t.value).sort((a, b) => a - b));
    }
  });
});

describe("lossPlotSvg: x axis", () => {
  it("ticks at 0, 100 … 500 for 500 points", () => {
    const xt = ticks(lossPlotSvg(realistic()), "x");
    expect(xt.map((t) => t.value)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(xt.map((t) => t.label)).toEqual(["0", "100", "200", "300", "400", "500"]);
  });

  it("ticks at non-negative integers with non-overlapping labels for any length", () => {
    for (const n of [1, 2, 5, 12, 77, 1000, 12345, 100000, 3000000]) {
      const xt = ticks(lossPlotSvg(new Float64Array(n).fill(1)), "x");
      expect(xt.length).toBeGreaterThanOrEqual(1);
      expect(xt[0].value).toBe(0);
      for (const t of xt) expect(Number.isInteger(t.value) && t.value >= 0 && t.value <= n + n / 10).toBe(true);
      for (let i = 1; i < xt.length; i++) {
        const width = Math.max(xt[i].label!.length, xt[i - 1].label!.length) * 14 * 0.65;
        expect(xt[i].x - xt[i - 1].x).toBeGreaterThan(width);
      }
    }
  });
});

describe("lossPlotSvg: robustness", () => {
  for (const scale of ["log", "linear"] as const) {
    for (const [name, losses] of NASTY) {
      it(`${scale}: ${name} → no NaN/Infinity, well-formed`, () => {
        const svg = lossPlotSvg(losses, { scale });
        expect(svg).not.toMatch(/NaN|Infinity|undefined|null/);
        checkWellFormed(svg);
        for (const v of numbersInAttributes(svg)) {
          if (/^-?[\d.]+(e[-+]?\d+)?$/.test(v)) expect(Number.isFinite(Number(v))).toBe(true);
        }
        expect(svg).toContain(">train num</text>");
        expect(svg).toContain(">loss</text>");
        expect(ticks(svg, "y").length).toBeGreaterThanOrEqual(2);
      });
    }
  }

  it("draws a drawable point even when it is alone", () => {
    expect(lossPlotSvg([2.5])).toMatch(/<circle cx="[\d.]+" cy="[\d.]+"/);
    expect(lossPlotSvg([NaN, 2.5, NaN], { scale: "linear" })).toMatch(/<circle /);
  });

  it("never throws on bad arguments", () => {
    const bad: unknown[] = [null, undefined, 42, "abc", {}, { length: -1 }, { length: Infinity }, { length: NaN }];
    for (const b of bad) {
      const svg = lossPlotSvg(b as ArrayLike<number>);
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const throwing = { get width(): number { throw new Error("no width"); } };
    for (const o of [null, 5, { scale: "weird" }, { width: NaN, height: -Infinity }, { width: 3, height: 2 }, { title: 7 }, revoked.proxy, throwing]) {
      const svg = lossPlotSvg([3, 2, 1], o as never);
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
  });
});

describe("lossPlotSvg: decimation", () => {
  function spiky(n: number): Float64Array {
    const a = new Float64Array(n);
    for (let t = 0; t < n; t++) a[t] = 100 * Math.exp(-t / (n / 5)) * (1 + 0.1 * Math.sin(t * 0.37));
    a[Math.floor(n / 2)] = 1e6; // one spike up
    a[Math.floor(n * 0.7)] = 1e-3; // and one down
    return a;
  }

  it("bounds the polyline to ~2 points per pixel column for 100,000 points", () => {
    const svg = lossPlotSvg(spiky(100000));
    const pts = polylines(svg).reduce((s, l) => s + l.length, 0);
    expect(pts).toBeGreaterThan(500);
    expect(pts).toBeLessThanOrEqual(2 * 800);
    expect(svg.length).toBeLessThan(50000);
    // coordinates rounded to 0.1 px
    for (const l of polylines(svg)) for (const [x, y] of l) {
      expect(Math.round(x * 10)).toBeCloseTo(x * 10, 6);
      expect(Math.round(y * 10)).toBeCloseTo(y * 10, 6);
    }
  });

  it("keeps the spikes (each column's min and max)", () => {
    for (const scale of ["log", "linear"] as const) {
      const svg = lossPlotSvg(spiky(100000), { scale });
      const ys = polylines(svg).flat().map((p) => p[1]);
      const yt = ticks(svg, "y");
      const top = Math.min(...ys);
      const bottom = Math.max(...ys);
      if (scale === "log") {
        // 1e6 and 1e-3 are both labelled decades: the line reaches them
        expect(Math.abs(top - yt.find((t) => t.value === 1e6)!.y)).toBeLessThan(1);
        expect(Math.abs(bottom - yt.find((t) => t.value === 1e-3)!.y)).toBeLessThan(1);
      } else {
        // 1e6 at the top of the data: within 10% of the axes height of the highest tick
        const t1 = yt.find((t) => t.value === 1e6)!;
        expect(Math.abs(top - t1.y)).toBeLessThan(1);
      }
    }
  });

  it("breaks the line only where a whole pixel column has no drawable value", () => {
    const a = spiky(100000);
    a[123] = NaN; // a single NaN among ~60 points per column: not visible, not a break
    for (let t = 60000; t < 62000; t++) a[t] = NaN; // a wide gap: a break
    const lines = polylines(lossPlotSvg(a));
    expect(lines).toHaveLength(2);
  });
});
