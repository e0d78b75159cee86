// A broken install, told apart from bad arguments: the command line never hands the library a wasm
// source of its own, so a build that will not load (WASM_UNAVAILABLE) means the package's build/
// files are missing or damaged. We look at the shipped files to say which one, and what to do.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BUILD_FILES, type WasmBuild } from "../builds/builds.js";
import { relaxedSimdSupported } from "../builds/features.js";
import { defaultWasmUrl } from "../builds/source.js";
import type { TwoLayerError } from "../errors.js";
import { fsWords } from "./fs-words.js";

const REINSTALL = "reinstall twolayer (npm install twolayer; in a git checkout, npm run build)";

/** What is wrong with one shipped build file, if we can see it. */
function fileProblem(build: WasmBuild, relaxed: boolean): string | undefined {
  const path = fileURLToPath(defaultWasmUrl(build));
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? `${path} is missing` : `${path}: ${fsWords(error)}`;
  }
  if (bytes.length === 0) return `${path} is empty`;
  // The FMA builds validate only where relaxed SIMD is on; elsewhere we cannot judge them.
  if (build.includes("fma") && !relaxed) return undefined;
  return WebAssembly.validate(bytes) ? undefined : `${path} is not a valid WebAssembly module`;
}

/** The one line for a build that failed to load: which shipped files are damaged, and to reinstall. */
export async function brokenInstallMessage(error: TwoLayerError): Promise<string> {
  const relaxed = await relaxedSimdSupported();
  const problems = (Object.keys(BUILD_FILES) as WasmBuild[]).map((build) => fileProblem(build, relaxed)).filter((p) => p !== undefined);
  if (problems.length > 0) return `this installation is broken: ${problems.join("; ")}; ${REINSTALL}`;
  // The files look whole, yet one did not load (a wrong build in its place, say). The library's
  // message names the build ("could not load the simd WebAssembly build"); we name its file.
  const cause = error.cause instanceof Error ? error.cause.message : error.message;
  const build = /\bthe ([\w-]+) WebAssembly build\b/.exec(error.message)?.[1];
  const what = build !== undefined && Object.hasOwn(BUILD_FILES, build) ? fileURLToPath(defaultWasmUrl(build as WasmBuild)) : "the WebAssembly build";
  return `this installation is broken: ${what} did not load (${cause}); ${REINSTALL}`;
}
