import { getArticleFeed } from "@/features/articles/api";
import { route } from "@/lib/http/endpoint";

// Outside the proxy (its matcher skips paths with a dot), so no locale redirect happens here:
// the locale segment is checked by the endpoint.
export const dynamic = "force-dynamic";
export const { GET } = route({ GET: getArticleFeed });
