import { forgotPassword } from "@/features/accounts/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { POST } = route({ POST: forgotPassword });
