import { getLog } from "@/features/moderation/api";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return getLog(request);
}
