import { checkReadiness } from "@/lib/db/readiness";
import { defineEndpoint, route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";

/**
 * Readiness for the proxy and orchestrators: 200 when this instance can serve (database,
 * migrations, LISTEN connections), else 503 naming the checks that failed (ADR 0024).
 */
const ready = defineEndpoint({ summary: "Readiness: 200 when this instance can serve (database, migrations, LISTEN connections), else 503 naming the failed checks.", messages: "Api", auth: "none" }, async () => {
  const { ready, checks, failed } = await checkReadiness();
  return Response.json(
    { status: ready ? "ready" : "unavailable", checks, failed },
    { status: ready ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
});

export const { GET } = route({ GET: ready });
