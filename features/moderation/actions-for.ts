import type { NoteAction } from "./schema";

/** The actions that apply to a note in this state (the server checks the same rules). */
export function actionsFor(
  note: { status: string; deletedAt: Date | null; deletedById: string | null; purgedAt: Date | null; lockedAt: Date | null; parentId: string | null },
  admin: boolean,
): NoteAction[] {
  const actions: NoteAction[] = [];
  if (note.purgedAt) return actions;
  if (note.deletedAt) {
    if (note.deletedById) actions.push("restore");
  } else {
    if (note.status === "pending") actions.push("approve");
    if (note.status === "hidden") actions.push("restore");
    else actions.push("hide");
    actions.push("delete", "dismiss_flags");
    if (note.parentId === null) actions.push(note.lockedAt ? "unlock" : "lock");
  }
  if (admin) actions.push("purge");
  return actions;
}
