import { getNote, patchNote, removeNote } from "@/features/notes/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { GET, PATCH, DELETE, OPTIONS } = route({ GET: getNote, PATCH: patchNote, DELETE: removeNote });
