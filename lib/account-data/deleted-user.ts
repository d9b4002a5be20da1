// The anonymous placeholder a deleted account leaves behind (ADR 0036): one user row per deleted
// account that signs the notes its owner chose to keep and the moderation log rows that named
// them. Its id says what it is, so any screen can show the localized "deleted user" label
// (isDeletedUserId) without reading another column; the stored name is only the fallback for
// places that print names as data (the W3C annotation export, the JSON API).

export const DELETED_USER_ID_PREFIX = "deleted_";
export const DELETED_USER_NAME = "Deleted user";
/** RFC 2606: .invalid never resolves, so no mail can ever reach a placeholder's address. */
export const DELETED_USER_EMAIL_DOMAIN = "deleted.invalid";

export function isDeletedUserId(id: string): boolean {
  return id.startsWith(DELETED_USER_ID_PREFIX);
}
