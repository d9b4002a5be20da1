import { getContinueReading } from "@/features/reading/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { GET } = route({ GET: getContinueReading });
