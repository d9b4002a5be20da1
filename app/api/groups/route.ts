import { postGroup } from "@/features/groups/api";

export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return postGroup(request);
}
