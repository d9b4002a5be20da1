import { postNoteAction } from "@/features/moderation/api";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return postNoteAction(request, (await params).id);
}
