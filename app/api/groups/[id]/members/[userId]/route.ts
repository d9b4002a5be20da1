import { deleteMember, patchMember } from "@/features/groups/api";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string; userId: string }> };

export async function PATCH(request: Request, { params }: Params) {
  const { id, userId } = await params;
  return patchMember(request, id, userId);
}

export async function DELETE(request: Request, { params }: Params) {
  const { id, userId } = await params;
  return deleteMember(request, id, userId);
}
