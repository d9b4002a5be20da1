import { postImport } from "@/features/note-import/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { POST, OPTIONS } = route({ POST: postImport });
