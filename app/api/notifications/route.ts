import { getNotifications } from "@/features/notes/api";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return getNotifications(request);
}
