// workerd: answers GET /weights with weights.mjs' report as JSON (or a 500 with the error), and
// anything else at once with a 404 (the test's readiness probe).
import { weightsReport } from "./weights.mjs";

export default {
  async fetch(request) {
    if (new URL(request.url).pathname !== "/weights") return new Response("GET /weights\n", { status: 404 });
    try {
      return Response.json(await weightsReport());
    } catch (error) {
      return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
    }
  },
};
