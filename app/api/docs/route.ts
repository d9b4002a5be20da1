import { redirectToApiDocs } from "@/features/api-docs/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { GET } = route({ GET: redirectToApiDocs });
