import { deleteSuspension, postSuspension } from "@/features/moderation/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { POST, DELETE } = route({ POST: postSuspension, DELETE: deleteSuspension });
