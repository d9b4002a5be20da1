import { exportVocabulary } from "@/features/vocabulary/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { GET, OPTIONS } = route({ GET: exportVocabulary });
