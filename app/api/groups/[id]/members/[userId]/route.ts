import { deleteMember, patchMember } from "@/features/groups/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { PATCH, DELETE } = route({ PATCH: patchMember, DELETE: deleteMember });
