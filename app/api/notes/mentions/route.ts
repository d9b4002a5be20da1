import { listMentionCandidates } from "@/features/notes/api";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return listMentionCandidates(request);
}
