import { postFlag } from "@/features/moderation/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { POST, OPTIONS } = route({ POST: postFlag });
