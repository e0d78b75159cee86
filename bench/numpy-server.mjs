// One numpy_twolayer.py --serve for runs asked one at a time (paired.mjs alternates them with ours):
// started once, in numpy.mjs's environment, then each run is a line to its stdin and a JSON line back.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fail, here } from "./common.mjs";
import { numpyEnv } from "./numpy.mjs";

/** Starts Python on `threads` OpenBLAS threads; resolves once it is ready, with its versions and BLAS (`info`). */
export async function startNumpyServer(threads) {
  const child = spawn("python3", [here("numpy_twolayer.py"), "--serve"], { env: numpyEnv(threads) });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text) => { stderr += text; });
  child.stdin.on("error", () => {}); // a Python that died is reported by the answer that does not come
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const answer = async (awaited) => {
    const { value, done } = await answers.next();
    if (done) fail(`numpy_twolayer.py --serve ended before ${awaited}: ${stderr}`);
    return JSON.parse(value);
  };
  const info = await answer("it was ready");
  return {
    info,
    /** One training run of `form` ("direct", "gram") in `dtype`: { seconds, losses }, Python's perf_counter time. */
    run(form, dtype) {
      child.stdin.write(`${form} ${dtype}\n`);
      return answer(`its ${form} ${dtype} run`);
    },
    /** Ends stdin, and with it Python. */
    async close() {
      const exited = child.exitCode !== null ? [child.exitCode] : once(child, "exit");
      child.stdin.end();
      const [code] = await exited;
      if (code !== 0) fail(`numpy_twolayer.py --serve exited with ${code}: ${stderr}`);
    },
  };
}
