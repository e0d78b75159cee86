// Node, Deno and Bun: prints weights.mjs' report as JSON.
import { weightsReport } from "./weights.mjs";

console.log(JSON.stringify(await weightsReport()));
