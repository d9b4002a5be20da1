import { getNotifications } from "@/features/notifications/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { GET } = route({ GET: getNotifications });
