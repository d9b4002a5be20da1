import { isDatabaseHealthy } from "@/lib/db/health";

export const dynamic = "force-dynamic";

/** Liveness for process managers and the test harness: 503 while the database is unreachable. */
export async function GET() {
  const database = await isDatabaseHealthy();
  return Response.json(
    { status: database ? "ok" : "unavailable", database },
    { status: database ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
