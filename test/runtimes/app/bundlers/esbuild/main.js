// esbuild copies no `new URL(…, import.meta.url)` asset, so the app imports the builds itself
// (wasm.js is README's esbuild snippet, written here by the test) and waits for init.
import * as twolayer from "twolayer";
import { runPage } from "../page.js";
import { ready } from "./wasm.js";

runPage(twolayer, ready);
