import { postJoin } from "@/features/groups/api";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ token: string }> };

export async function POST(request: Request, { params }: Params) {
  return postJoin(request, (await params).token);
}
