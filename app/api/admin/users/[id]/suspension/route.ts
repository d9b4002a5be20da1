import { deleteUserSuspension, postUserSuspension } from "@/features/admin/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { POST, DELETE } = route({ POST: postUserSuspension, DELETE: deleteUserSuspension });
