import { getNote, patchNote, removeNote } from "@/features/notes/api";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Params) {
  return getNote(request, (await params).id);
}

export async function PATCH(request: Request, { params }: Params) {
  return patchNote(request, (await params).id);
}

export async function DELETE(request: Request, { params }: Params) {
  return removeNote(request, (await params).id);
}
