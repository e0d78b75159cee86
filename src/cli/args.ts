// Reading the command line: the command, then flags from the table in flags.ts.
import { closest } from "../validate.js";
import { FLAGS, flag } from "./flags.js";

/** A command-line mistake: printed as one line, exit code 2. */
export class UsageError extends Error {}

export interface Args {
  /** `"train"`, or `"help"` for --help on its own. */
  readonly command: "train" | "help";
  /** Each flag given, by name, with its text as typed (the last one where a flag is repeated). */
  readonly given: ReadonlyMap<string, string>;
  /** The switches given. */
  readonly switches: ReadonlySet<string>;
}

/** Splits argv (without node and the script) into the command and its flags. */
export function parseArgs(argv: readonly string[]): Args {
  const given = new Map<string, string>();
  const switches = new Set<string>();
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") return { command: "help", given, switches };
  if (command !== "train") {
    throw new UsageError(
      command === undefined ? "missing command: try 'twolayer train' (or --help)" : `unknown command "${command}": the command is 'train' (see --help)`,
    );
  }
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "-h") {
      switches.add("help");
      continue;
    }
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument "${arg}": options start with -- (see --help)`);
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const f = flag(name);
    if (f === undefined) {
      const guess = closest(name, FLAGS.map((known) => known.name));
      throw new UsageError(`unknown option --${name}${guess ? `; did you mean --${guess}?` : ""} (see --help)`);
    }
    if (f.kind === "switch") {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      switches.add(name);
      continue;
    }
    const text = eq >= 0 ? arg.slice(eq + 1) : rest[++i];
    if (text === undefined || (eq < 0 && text.startsWith("--"))) throw new UsageError(`--${name} needs a value (see --help)`);
    given.set(name, text);
  }
  return { command: switches.has("help") ? "help" : "train", given, switches };
}
