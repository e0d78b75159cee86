// What the parts of npm run bench share: the seed network's sizes, paths beside this file, numpy's
// fixture, how the script gives up, and giving up where a run's losses are not numpy's.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SEED_SIZES, checkLosses } from "../dist/bench/index.js";

export const SEED = SEED_SIZES;
export const here = (path) => fileURLToPath(new URL(path, import.meta.url));
/** numpy's seed-run losses from the test fixture (the same numbers src/bench carries; test/bench.test.ts checks). */
export const numpyLosses = JSON.parse(readFileSync(here("../test/fixtures/losses.json"), "utf8")).runs[0].losses;

export function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

/** checkLosses (src/bench/seed-run.ts; `reference` by default its numpy losses), giving up with its message where they differ. */
export function checked(label, losses, dtype, reference) {
  try {
    checkLosses(label, losses, dtype, reference);
  } catch (error) {
    fail(error.message);
  }
}
