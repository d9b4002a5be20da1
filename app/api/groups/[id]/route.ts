import { getGroup, patchGroup, removeGroup } from "@/features/groups/api";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Params) {
  return getGroup(request, (await params).id);
}

export async function PATCH(request: Request, { params }: Params) {
  return patchGroup(request, (await params).id);
}

export async function DELETE(request: Request, { params }: Params) {
  return removeGroup(request, (await params).id);
}
