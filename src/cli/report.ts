// The exit code for an error that ended the command, after saying it in one line on stderr.
import { simdSupported } from "../builds/features.js";
import { TwoLayerError } from "../errors.js";
import type { Args } from "./args.js";
import { brokenInstallMessage } from "./install.js";
import { say } from "./stdio.js";
import { UsageError } from "./usage.js";
import { inFlagWords } from "./words.js";

/** Exit codes: bad arguments, and anything else that went wrong. */
export const BAD_ARGUMENTS = 2;
export const FAILED = 1;

/** A message of a readable length, whatever text it repeats (say keeps it on one line, escaping a newline). */
function readable(text: string): string {
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

/**
 * Says `error` and returns its exit code: 2 for bad arguments (a UsageError, or a library
 * refusal of an option's value); 1 for a broken install (a build that will not load: the command
 * line never passes its own) and anything unexpected (with its stack when TWOLAYER_DEBUG is set).
 */
export async function report(error: unknown, args: Args | undefined): Promise<number> {
  if (error instanceof UsageError) {
    say(readable(error.message));
    return BAD_ARGUMENTS;
  }
  if (error instanceof TwoLayerError) {
    // --simd on where the engine has no SIMD is the one WASM_UNAVAILABLE a flag asked for.
    const asked = args?.given.get("simd") === "on" && !simdSupported();
    if (error.code === "WASM_UNAVAILABLE" && !asked) {
      say(readable(await brokenInstallMessage(error)));
      return FAILED;
    }
    say(readable(inFlagWords(error, args?.given ?? new Map())));
    return BAD_ARGUMENTS;
  }
  say(readable(`unexpected error: ${error instanceof Error ? error.message : String(error)}`));
  if (process.env.TWOLAYER_DEBUG) console.error(error);
  return FAILED;
}
