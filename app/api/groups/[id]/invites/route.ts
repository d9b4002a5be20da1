import { getInvites, postInvite } from "@/features/groups/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { GET, POST } = route({ GET: getInvites, POST: postInvite });
