import { revalidateTag } from "next/cache";

// Tags of cached data shared by every signed-out reader (the public overlay of an article, its
// public notes list, the reader page drawn from them). Any feature that changes what the public
// sees of an article's notes — a public note written, edited, deleted, or hidden, restored,
// approved, purged by a moderator — marks the article's tag stale. Here, not in one feature,
// because notes and moderation both write and neither may import the other.

export const publicNotesTag = (articleId: string) => `notes:${articleId}`;

/**
 * Marks an article's public notes stale. A new or edited note may be served stale once while the
 * cache refreshes ("max": writers at 50/s must not make every page read block on a recompute);
 * content a moderator took down must never be served again (`immediately`: the next read blocks).
 */
export function invalidatePublicNotes(articleId: string, { immediately = false } = {}): void {
  try {
    revalidateTag(publicNotesTag(articleId), immediately ? { expire: 0 } : "max");
  } catch {
    // Outside a Next request (scripts, tests) there is no cache to invalidate.
  }
}
