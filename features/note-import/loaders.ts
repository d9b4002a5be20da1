import "server-only";
import { getViewerGroups } from "@/features/notes/data";

/** The groups an import may target: the live groups the user belongs to now. */
export async function loadImportGroups(userId: string): Promise<{ id: string; name: string }[]> {
  return (await getViewerGroups(userId)).map((group) => ({ id: group.id, name: group.name }));
}
