// Where a benchmark ran, in words: the runtime (Node, Deno, Bun or the browser's user agent) and
// the cores; the CPU model where the caller can read it (machine-node.ts in Node).

/** The machine and runtime a table was measured on. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly runtime: string;
}

type Globals = {
  process?: { versions?: Record<string, string | undefined> };
  Deno?: { version?: { deno?: string } };
  Bun?: { version?: string };
  navigator?: { userAgent?: string; hardwareConcurrency?: number };
};

/** "Node v20.20.2 (V8 11.3.244.8-node.38)", "Bun 1.2.3", "Deno 2.1.0", or the user agent. */
export function runtimeName(): string {
  const g = globalThis as Globals;
  if (g.Deno?.version?.deno) return `Deno ${g.Deno.version.deno}`;
  if (g.Bun?.version) return `Bun ${g.Bun.version}`;
  const v = g.process?.versions;
  if (v?.node) return `Node v${v.node}${v.v8 ? ` (V8 ${v.v8})` : ""}`;
  return g.navigator?.userAgent ?? "unknown runtime";
}

/** One line: "AMD EPYC, 2 cores; Node v20.20.2 (V8 …)". */
export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} core${m.cores === 1 ? "" : "s"}; ${m.runtime}`;
}
