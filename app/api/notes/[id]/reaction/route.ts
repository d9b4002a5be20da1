import { putReaction } from "@/features/notes/api";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

export async function PUT(request: Request, { params }: Params) {
  return putReaction(request, (await params).id, true);
}

export async function DELETE(request: Request, { params }: Params) {
  return putReaction(request, (await params).id, false);
}
