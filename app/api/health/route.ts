import { isDatabaseHealthy } from "@/lib/db/health";
import { defineEndpoint, route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";

/** Liveness for process managers and the test harness: 503 while the database is unreachable. */
const health = defineEndpoint({ summary: "Liveness: 200 while the database answers, else 503.", messages: "Api", auth: "none" }, async () => {
  const database = await isDatabaseHealthy();
  return Response.json(
    { status: database ? "ok" : "unavailable", database },
    { status: database ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
});

export const { GET } = route({ GET: health });
