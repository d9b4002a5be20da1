// A live update (features/live delivers them through the notes context) merged into an open
// thread's list: the notes' own data, so the panel needs nothing from the live feature.
import type { ClientNote } from "./notes-client";
import type { LiveNoteUpdate } from "./notes-context";

/**
 * One update applied to a paragraph's thread (null while it loads: the load brings the note).
 * New notes are appended, edits replace in place, removed notes disappear or, when replies
 * hang from them, become placeholders; a revoked group takes its notes with it.
 */
export function applyLiveUpdate(list: ClientNote[] | null, update: LiveNoteUpdate, paragraphId: string): ClientNote[] | null {
  if (!list) return list;
  if (update.op === "revoked") {
    const next = list.filter((note) => note.group?.id !== update.groupId);
    return next.length === list.length ? list : next;
  }
  if (update.paragraphId !== paragraphId) return list;
  const index = list.findIndex((note) => note.id === update.id);
  if (update.op === "deleted" || update.op === "hidden") {
    if (index === -1) return list;
    if (list.some((note) => note.parentId === update.id)) {
      return list.map((note) => (note.id === update.id ? { ...note, deleted: true, body: null, tag: null, quote: null } : note));
    }
    return list.filter((note) => note.id !== update.id);
  }
  if (!update.note) return list;
  if (index === -1) return [...list, update.note];
  const current = list[index]!;
  // An older event (replayed after a reconnect) never overwrites a newer version.
  if (current.version > update.note.version) return list;
  return list.map((note) => (note.id === update.id ? { ...update.note!, orphan: note.orphan } : note));
}
