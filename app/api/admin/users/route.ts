import { getUsers } from "@/features/admin/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { GET } = route({ GET: getUsers });
