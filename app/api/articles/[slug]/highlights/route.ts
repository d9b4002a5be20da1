import { getHighlights } from "@/features/notes/api";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ slug: string }> };

export async function GET(request: Request, { params }: Params) {
  return getHighlights(request, (await params).slug);
}
