import { deleteInvite } from "@/features/groups/api";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string; inviteId: string }> };

export async function DELETE(request: Request, { params }: Params) {
  const { id, inviteId } = await params;
  return deleteInvite(request, id, inviteId);
}
