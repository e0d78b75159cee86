// Library messages said in flag words: the library names options (`dIn`), the command line names
// flags (`--d-in`) and repeats what was typed.
import type { TwoLayerError } from "../errors.js";
import { FLAGS, flagOf } from "./flags.js";
import { quote } from "./usage.js";

/** ≥ and "quotes" read well in a library message; a terminal gets >= and bare words. */
const plain = (text: string) => text.replace(/≥/g, ">=").replace(/"/g, "");

function orList(words: string[]): string {
  return words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

/**
 * A library error said in flag words: "--d-in takes an integer from 1 to …, got "2.5"" for one
 * option's value; in other messages each option name becomes its flag.
 */
export function inFlagWords(error: TwoLayerError, given: ReadonlyMap<string, string>): string {
  const flag = error.option === undefined ? undefined : flagOf(error.option);
  if (flag && error.expected !== undefined) {
    const accepts = flag.choices ? orList(Object.keys(flag.choices)) : plain(error.expected);
    const text = given.get(flag.name);
    return `--${flag.name} takes ${accepts}${text === undefined ? "" : `, got ${quote(text)}`}`;
  }
  let message = error.message;
  for (const f of FLAGS) {
    if (f.option !== undefined) message = message.replace(new RegExp(`(^|[\\s(])${f.option}(?=[\\s:,;)]|$)`, "g"), `$1--${f.name}`);
  }
  return plain(message);
}
