import { getMembers } from "@/features/groups/api";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Params) {
  return getMembers(request, (await params).id);
}
