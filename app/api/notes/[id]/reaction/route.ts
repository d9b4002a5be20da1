import { putReaction, removeReaction } from "@/features/notes/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { PUT, DELETE, OPTIONS } = route({ PUT: putReaction, DELETE: removeReaction });
