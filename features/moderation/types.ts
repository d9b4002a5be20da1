// Zod-free moderation constants and rules: what client components import (check:features keeps
// zod, and so schema.ts, out of the browser). schema.ts builds its schemas on these.

export const flagReasons = ["spam", "harassment", "off_topic", "misinformation", "other"] as const;
export type FlagReason = (typeof flagReasons)[number];

export const noteActions = ["hide", "restore", "delete", "purge", "approve", "dismiss_flags", "lock", "unlock"] as const;
export type NoteAction = (typeof noteActions)[number];

export const queueStatuses = ["open", "hidden", "resolved"] as const;

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
