// The machine in Node (and Bun, Deno): the CPU model as the operating system names it, the cores
// this process may use.
import { readFileSync } from "node:fs";
import os from "node:os";
import { runtimeName, type Machine } from "./machine.js";

/** /proc/cpuinfo's "model name" on Linux, else what os.cpus() says. */
function cpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"));
    if (line) return line.split(":")[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model?.trim() || "unknown CPU";
}

export function nodeMachine(): Machine {
  return { cpu: cpuModel(), cores: os.availableParallelism(), runtime: runtimeName() };
}
