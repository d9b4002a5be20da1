import { getInvites, postInvite } from "@/features/groups/api";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Params) {
  return getInvites(request, (await params).id);
}

export async function POST(request: Request, { params }: Params) {
  return postInvite(request, (await params).id);
}
