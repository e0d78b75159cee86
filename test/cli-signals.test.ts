// SIGINT, SIGTERM and SIGHUP stop training and still leave whole --json and --plot files, exiting
// 128 + the signal's number; a second signal while the files are written ends the program at once
// and leaves each file whole or absent, never truncated. Last, the same at random moments.
import fc from "fast-check";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { constants } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sleep, start, tempDir, TINY, until } from "./cli-child.js";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const code = (signal: NodeJS.Signals) => 128 + constants.signals[signal];

function launch(iterations: number) {
  const dir = tempDir();
  const json = join(dir, "out.json");
  const plot = join(dir, "out.svg");
  const run = start(["train", ...TINY, "--iterations", String(iterations), "--every", "100000", "--json", json, "--plot", plot]);
  // A temporary file once training has printed: before training, the check of the output paths
  // (src/cli/outputs.ts) creates and removes one of its own, which a loaded machine lets us see.
  const writing = () => run.seen.stdout.length > 0 && readdirSync(dir).some((name) => name.endsWith(".tmp"));
  return { ...run, dir, json, plot, writing };
}

/** Each output file is absent or whole; nothing else is left in the directory. */
function expectWholeOrAbsent(dir: string): { json?: { status: string; losses: unknown[] }; svg?: string } {
  const left = readdirSync(dir);
  expect(left.filter((name) => name !== "out.json" && name !== "out.svg"), `left in ${dir}`).toEqual([]);
  const json = existsSync(join(dir, "out.json")) ? JSON.parse(readFileSync(join(dir, "out.json"), "utf8")) : undefined;
  const svg = existsSync(join(dir, "out.svg")) ? readFileSync(join(dir, "out.svg"), "utf8") : undefined;
  if (svg !== undefined) expect(svg).toMatch(/^<svg[^]*<\/svg>\n$/);
  return { json, svg };
}

describe("signals", () => {
  it.each(SIGNALS)("%s stops training, writes both files whole and exits 128 + its number", async (signal) => {
    const run = launch(100_000_000);
    await until(() => run.seen.stdout.length > 0);
    run.child.kill(signal);
    expect((await run.exit).code, run.seen.stderr).toBe(code(signal));
    const { json, svg } = expectWholeOrAbsent(run.dir);
    expect(json?.status).toBe("aborted");
    expect(svg).toBeDefined();
    const said = signal === "SIGINT" ? "interrupted" : `stopped by ${signal}`;
    const iterations = Number(new RegExp(`twolayer: ${said} after (\\d+) iterations?\\n`).exec(run.seen.stderr)?.[1]);
    expect(json?.losses).toHaveLength(iterations);
    // The last line printed is the last iteration run, whatever --every says.
    expect(run.seen.stdout.trim().split("\n").at(-1)).toMatch(new RegExp(`^${iterations - 1} `));
  });

  it("a second signal while --json is written ends at once: no file, no temporary file, the first signal's code", async () => {
    const run = launch(100_000_000);
    // Some 1,500,000 losses: a 33 MB --json that takes a while to write.
    await until(() => /^1[5-9]00000 /m.test(run.seen.stdout));
    run.child.kill("SIGINT");
    await until(run.writing);
    run.child.kill("SIGTERM");
    expect((await run.exit).code, run.seen.stderr).toBe(130);
    expect(run.seen.stderr).toMatch(/twolayer: SIGTERM after SIGINT: stopping at once; an output file not yet written is left unwritten\n$/);
    expect(expectWholeOrAbsent(run.dir)).toEqual({ json: undefined, svg: undefined });
  });

  it("a first signal while the files of a finished run are written: they are finished, exit 128 + its number", async () => {
    const run = launch(1_500_000);
    await until(run.writing);
    run.child.kill("SIGHUP");
    expect((await run.exit).code, run.seen.stderr).toBe(129);
    expect(run.seen.stderr).toContain("twolayer: stopped by SIGHUP after training ended\n");
    const { json, svg } = expectWholeOrAbsent(run.dir);
    expect(json?.status).toBe("completed");
    expect(json?.losses).toHaveLength(1_500_000);
    expect(svg).toBeDefined();
  });

  // Two signals sent close together may reach the program in either order (Linux delivers pending
  // signals lowest number first), so we take the first from what the program says it received.
  function firstSeen(stderr: string): string | undefined {
    const again = /twolayer: SIG\w+ after (SIG\w+): stopping at once/.exec(stderr);
    const summary = /twolayer: (?:interrupted|stopped by (SIG\w+)) after/.exec(stderr);
    return again?.[1] ?? (summary ? (summary[1] ?? "SIGINT") : undefined);
  }

  it("signals at random moments: each file whole or absent, both whole after one signal, the first signal's code", async () => {
    const signal = fc.constantFrom(...SIGNALS);
    await fc.assert(
      fc.asyncProperty(signal, fc.nat(400), fc.option(fc.tuple(signal, fc.nat(1500)), { nil: undefined }), async (first, delay, second) => {
        const run = launch(100_000_000);
        await until(() => run.seen.stdout.length > 0);
        await sleep(delay);
        run.child.kill(first);
        if (second) {
          await sleep(second[1]);
          run.child.kill(second[0]);
        }
        const exit = await run.exit;
        await run.closed;
        const seen = firstSeen(run.seen.stderr);
        expect(second ? [first, second[0]] : [first], run.seen.stderr).toContain(seen);
        expect(exit, run.seen.stderr).toEqual({ code: code(seen as NodeJS.Signals), signal: null });
        const { json, svg } = expectWholeOrAbsent(run.dir);
        if (json) expect(json.status).toBe("aborted");
        if (!second) expect([json !== undefined, svg !== undefined]).toEqual([true, true]);
      }),
      { numRuns: 8 },
    );
  });
});
