// The run's summary on stderr: fallbacks, divergence, an early stop, then one line of figures.
import { pythonFloat } from "../format.js";
import type { TrainResult } from "../loop.js";
import { say } from "./stdio.js";
import { iterationsText, stopSentence, type Stop } from "./stops.js";

/** Says how the run went; `written` lists the files written ("json out.json"). */
export function summarize(result: TrainResult, stop: Stop | undefined, written: readonly string[]): void {
  const { losses, status } = result;
  for (const fallback of result.fallbacks) say(fallback);
  if (status === "diverged") say(result.divergence!.message);
  if (stop !== undefined) say(stopSentence(stop, status === "aborted", losses.length));
  const first = losses.length ? pythonFloat(losses[0]) : "-";
  const last = losses.length ? pythonFloat(losses[losses.length - 1]) : "-";
  say(
    `${result.backend} ${result.dtype}, ${iterationsText(losses.length)}, loss ${first} -> ${last}, ` +
      `${result.seconds.toFixed(3)} s, ${result.gflops.toFixed(1)} GFLOP/s` +
      `${result.threadsUsed > 1 ? `, ${result.threadsUsed} threads` : ""}${result.fmaUsed ? ", fma" : ""}` +
      `${result.algorithmUsed === "gram" ? ", gram" : ""}` +
      written.map((file) => `, ${file}`).join(""),
  );
}
