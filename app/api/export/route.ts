import { exportNotes } from "@/features/note-export/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { GET, OPTIONS } = route({ GET: exportNotes });
