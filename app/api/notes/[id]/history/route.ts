import { getNoteHistory } from "@/features/notes/api";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return getNoteHistory(request, (await params).id);
}
