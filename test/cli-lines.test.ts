// The "t loss" lines: with --every K, every K-th line and always the last iteration run, however
// the run ended (completed, diverged; an interrupted run is in cli-signals.test.ts).
import { describe, expect, it } from "vitest";
import { run, TINY } from "./cli-child.js";

const iterationsPrinted = (stdout: string) => stdout.split("\n").filter(Boolean).map((line) => Number(line.split(" ")[0]));

describe("--every K", () => {
  it.each([
    [10, 5, [0, 5, 9]],
    [12, 100, [0, 11]],
    [11, 5, [0, 5, 10]],
    [1, 5, [0]],
    [0, 5, []],
  ])("%d iterations, every %d: prints %j", (iterations, every, printed) => {
    const { status, stdout, stderr } = run(["train", ...TINY, "--iterations", String(iterations), "--every", String(every)]);
    expect(status, stderr).toBe(0);
    expect(iterationsPrinted(stdout)).toEqual(printed);
  });

  it("a diverged run prints the iteration where the loss became non-finite last", () => {
    const { status, stdout, stderr } = run(["train", "--lr", "1e-3", "--iterations", "50", "--every", "1000"]);
    expect(status).toBe(3);
    const diverged = Number(/the loss became (?:inf|nan) at iteration (\d+)/.exec(stderr)?.[1]);
    expect(diverged % 1000).not.toBe(0);
    expect(iterationsPrinted(stdout)).toEqual([0, diverged]);
    expect(stdout.trim().split("\n").at(-1)).toMatch(/^\d+ (inf|nan)$/);
  });
});
