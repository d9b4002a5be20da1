import { postGroupRestore } from "@/features/admin/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { POST } = route({ POST: postGroupRestore });
