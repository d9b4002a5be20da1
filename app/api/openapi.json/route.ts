import { openApiEndpoint } from "@/features/api-docs/api";
import { route } from "@/lib/http/endpoint";
import { ROUTE_MODULES } from "./route-modules";

// Built from the pipeline metas of every route file (ADR 0032); SITE_URL is read at run time.
export const dynamic = "force-dynamic";
export const { GET } = route({ GET: openApiEndpoint(ROUTE_MODULES) });
