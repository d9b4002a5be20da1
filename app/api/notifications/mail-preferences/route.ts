import { getMailPreferences, putMailPreferences } from "@/features/notifications/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { GET, PUT } = route({ GET: getMailPreferences, PUT: putMailPreferences });
