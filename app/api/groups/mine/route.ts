import { getMyGroups } from "@/features/groups/api";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return getMyGroups(request);
}
