import { openReading, putReadingPosition } from "@/features/reading/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { POST, PUT } = route({ POST: openReading, PUT: putReadingPosition });
