import { openArticleEvents } from "@/features/live/api";

// Server-Sent Events: one long-lived response per open reader tab (ADR 0010).
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Params = { params: Promise<{ slug: string }> };

export async function GET(request: Request, { params }: Params) {
  return openArticleEvents(request, (await params).slug);
}
