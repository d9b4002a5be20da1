import { getContainer, postToContainer, protocolRoute } from "@/features/annotations/api";
import { route } from "@/lib/http/endpoint";

// The article's W3C Web Annotation container; its IRI ends in "/" (next.config.js
// skipTrailingSlashRedirect). HEAD is Next's, from GET.
export const dynamic = "force-dynamic";
export const { GET, POST, OPTIONS } = protocolRoute("container", route({ GET: getContainer, POST: postToContainer }));
