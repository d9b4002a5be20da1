import { putAnswer, removeAnswer } from "@/features/notes/api";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

export async function PUT(request: Request, { params }: Params) {
  return putAnswer(request, (await params).id);
}

export async function DELETE(request: Request, { params }: Params) {
  return removeAnswer(request, (await params).id);
}
