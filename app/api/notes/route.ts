import { listNotes, postNote } from "@/features/notes/api";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return listNotes(request);
}

export function POST(request: Request) {
  return postNote(request);
}
