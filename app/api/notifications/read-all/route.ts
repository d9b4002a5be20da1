import { readNotification } from "@/features/notes/api";

export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return readNotification(request, "all");
}
