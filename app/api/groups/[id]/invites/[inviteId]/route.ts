import { deleteInvite } from "@/features/groups/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { DELETE } = route({ DELETE: deleteInvite });
