import { readNotification } from "@/features/notes/api";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

export async function POST(request: Request, { params }: Params) {
  return readNotification(request, (await params).id);
}
