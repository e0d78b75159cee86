// Reading the command line: the command, then flags from the table in flags.ts that the command
// takes. Each flag is given at most once: a repeated flag is an error rather than a silent choice
// between two values.
import { closest } from "../validate.js";
import { FLAGS, flag, type Command } from "./flags.js";
import { quote, UsageError } from "./usage.js";

export { UsageError } from "./usage.js";

export interface Args {
  /** `"train"`, `"predict"`, `"bench"`, `"help"` for --help (with `helpFor`, the command it was given to), or `"version"`. */
  readonly command: Command | "help" | "version";
  /** For `"help"`: the command whose help was asked for, if one was named. */
  readonly helpFor?: Command;
  /** Each value flag given, by name, with its text as typed. */
  readonly given: ReadonlyMap<string, string>;
  /** The switches given. */
  readonly switches: ReadonlySet<string>;
}

const COMMANDS: readonly Command[] = ["train", "predict", "bench"];

/** Names longer than this are no typo of a flag: we do not look for the closest one. */
const LONGEST_TYPO = 40;

function unknownOption(name: string): UsageError {
  const bare = name.replace(/^-+/, "");
  const guess = bare !== "" && bare.length <= LONGEST_TYPO ? closest(bare, FLAGS.map((known) => known.name)) : undefined;
  // A name of plain characters is shown as typed; anything else quoted and cut short.
  const shown = /^[\w.-]{1,40}$/.test(name) ? `--${name}` : quote(`--${name}`);
  return new UsageError(`unknown option ${shown}${guess ? `; did you mean --${guess}?` : ""} (see --help)`);
}

function unexpected(arg: string, afterDashes: boolean, command: Command): UsageError {
  if (afterDashes) return new UsageError(`unexpected argument ${quote(arg)} after "--": twolayer ${command} takes options only (see --help)`);
  const single = /^-[^-]/.test(arg) && flag(arg.slice(1).split("=")[0]) !== undefined;
  return new UsageError(`unexpected argument ${quote(arg)}: options start with --${single ? `; did you mean -${arg}?` : ""} (see --help)`);
}

/** The commands in words: "'train', 'predict' and 'bench'". */
const commandList = () => `${COMMANDS.slice(0, -1).map((c) => `'${c}'`).join(", ")} and '${COMMANDS[COMMANDS.length - 1]}'`;

function commandOf(command: string | undefined): Command | "help" | "version" {
  if (command === "--help" || command === "-h" || command === "help") return "help";
  if (command === "--version" || command === "-v" || command === "version") return "version";
  if (COMMANDS.includes(command as Command)) return command as Command;
  if (command === undefined) throw new UsageError("missing command: try 'twolayer train' (or --help)");
  // A typo of a command is named, case aside: a few edits away ("Predict", "predcit"), or its letters reordered ("trian").
  const typed = command.toLowerCase();
  const letters = (word: string) => [...word].sort().join("");
  const guess = typed.length > LONGEST_TYPO ? undefined : (closest(typed, COMMANDS) ?? COMMANDS.find((c) => letters(c) === letters(typed)));
  throw new UsageError(`unknown command ${quote(command)}${guess ? ` (did you mean '${guess}'?)` : ""}: the commands are ${commandList()} (see --help)`);
}

/** Splits argv (without node and the script) into the command and its flags. */
export function parseArgs(argv: readonly string[]): Args {
  const given = new Map<string, string>();
  const switches = new Set<string>();
  const [first, ...rest] = argv;
  const command = commandOf(first);
  // `twolayer help predict` is predict's help.
  if (command === "help") return COMMANDS.includes(rest[0] as Command) ? { command, helpFor: rest[0] as Command, given, switches } : { command, given, switches };
  if (command === "version") {
    if (rest.length > 0) throw new UsageError(`unexpected argument ${quote(rest[0])}: twolayer ${first} takes none`);
    return { command, given, switches };
  }
  const once = (name: string, text?: string) => {
    if (name === "help") return;
    const before = given.get(name);
    if (before === undefined && !switches.has(name)) return;
    const values = text === undefined ? "" : ` (${quote(before!)}, then ${quote(text)})`;
    throw new UsageError(`--${name} is given twice${values}: give each option once`);
  };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--") {
      if (i + 1 < rest.length) throw unexpected(rest[i + 1], true, command);
      break;
    }
    if (arg !== "-h" && !arg.startsWith("--")) throw unexpected(arg, false, command);
    const eq = arg.indexOf("=");
    const name = arg === "-h" ? "help" : arg.slice(2, eq < 0 ? undefined : eq);
    const f = flag(name);
    if (f === undefined) throw unknownOption(name);
    if (!f.commands.includes(command)) {
      throw new UsageError(`--${name} is an option of twolayer ${f.commands.join(" and ")}, not of twolayer ${command} (see twolayer ${command} --help)`);
    }
    if (f.kind === "switch") {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      once(name);
      switches.add(name);
      continue;
    }
    const text = eq >= 0 ? arg.slice(eq + 1) : rest[++i];
    if (text === undefined || (eq < 0 && text.startsWith("--"))) throw new UsageError(`--${name} needs a value (see --help)`);
    once(name, text);
    given.set(name, text);
  }
  return switches.has("help") ? { command: "help", helpFor: command, given, switches } : { command, given, switches };
}
