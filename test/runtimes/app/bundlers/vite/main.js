import * as twolayer from "twolayer";
import { runPage } from "../page.js";

runPage(twolayer);
