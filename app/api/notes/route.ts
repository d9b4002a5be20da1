import { listNotes, postNote } from "@/features/notes/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { GET, POST, OPTIONS } = route({ GET: listNotes, POST: postNote });
