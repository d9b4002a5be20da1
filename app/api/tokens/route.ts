import { getTokens, postToken } from "@/features/tokens/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { GET, POST } = route({ GET: getTokens, POST: postToken });
