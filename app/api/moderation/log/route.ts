import { getLog } from "@/features/moderation/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { GET } = route({ GET: getLog });
