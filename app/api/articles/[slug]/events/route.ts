import { openArticleEvents } from "@/features/live/api";
import { route } from "@/lib/http/endpoint";

// Server-Sent Events: one long-lived response per open reader tab (ADR 0010).
export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const { GET } = route({ GET: openArticleEvents });
