// node scripts/side-by-side.mjs OLD/dist/index.js NEW/dist/index.js [options JSON] [rounds]
//
// Two builds of the package in one process, timed on the seed run as `npm run bench` times it
// (net.train() from the seed weights, restored before each run and untimed, then reading w1), the
// two alternating `rounds` times each (default 15) after 3 untimed runs of each. Prints both medians
// and NEW / OLD: how this repo checks that a change does not slow a path down, since on these shared
// machines runs minutes apart can differ by more than the change does. OLD is typically a detached
// worktree of an earlier commit: git worktree add --detach ../old <commit> && (cd ../old && npm ci &&
// npm run build).
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [oldEntry, newEntry, json = "{}", roundsArg = "15"] = process.argv.slice(2);
if (!oldEntry || !newEntry) {
  console.error("usage: node scripts/side-by-side.mjs OLD/dist/index.js NEW/dist/index.js [options JSON] [rounds]");
  process.exit(2);
}
const options = JSON.parse(json);
const rounds = Number(roundsArg);

async function prepare(entry) {
  const { TwoLayerNet } = await import(pathToFileURL(resolve(entry)).href);
  const net = await TwoLayerNet.create(options);
  const [w1, w2] = [net.w1.slice(), net.w2.slice()];
  return async () => {
    net.w1.set(w1);
    net.w2.set(w2);
    const start = performance.now();
    await net.train();
    void net.w1[0];
    return performance.now() - start;
  };
}

const runs = [await prepare(oldEntry), await prepare(newEntry)];
for (let i = 0; i < 3; i++) for (const run of runs) await run();
const times = [[], []];
for (let i = 0; i < rounds; i++) for (const [j, run] of runs.entries()) times[j].push(await run());
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const [before, after] = times.map(median);
console.log(`${JSON.stringify(options)}: old ${before.toFixed(2)} ms, new ${after.toFixed(2)} ms (medians of ${rounds}), new / old ${(after / before).toFixed(3)}`);
process.exit(0);
