import { openReading } from "@/features/notes/api";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ slug: string }> };

export async function POST(request: Request, { params }: Params) {
  return openReading(request, (await params).slug);
}
