// workerd: answers any request with weights.mjs' report as JSON (or a 500 with the error).
import { weightsReport } from "./weights.mjs";

export default {
  async fetch() {
    try {
      return Response.json(await weightsReport());
    } catch (error) {
      return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
    }
  },
};
