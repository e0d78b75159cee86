// `twolayer --version`: the version of the installed package, read from its package.json (dist/cli/
// is two levels below it, in the repository and in an installed package alike).
import { readFileSync } from "node:fs";

export function versionText(): string {
  const { name, version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { name: string; version: string };
  return `${name} ${version}`;
}
