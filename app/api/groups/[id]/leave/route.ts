import { postLeave } from "@/features/groups/api";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

export async function POST(request: Request, { params }: Params) {
  return postLeave(request, (await params).id);
}
