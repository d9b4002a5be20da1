import { deleteToken } from "@/features/tokens/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { DELETE } = route({ DELETE: deleteToken });
