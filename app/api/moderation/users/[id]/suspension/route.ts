import { deleteSuspension, postSuspension } from "@/features/moderation/api";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

export async function POST(request: Request, { params }: Params) {
  return postSuspension(request, (await params).id);
}

export async function DELETE(request: Request, { params }: Params) {
  return deleteSuspension(request, (await params).id);
}
