import { getGroup, patchGroup, removeGroup } from "@/features/groups/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { GET, PATCH, DELETE } = route({ GET: getGroup, PATCH: patchGroup, DELETE: removeGroup });
