import { revalidateTag } from "next/cache";

// Tags of cached data shared by every signed-out reader (the public overlay of an article, its
// public notes list, the reader page drawn from them). Any feature that changes what the public
// sees of an article's notes — a public note written, edited, deleted, or hidden, restored,
// approved, purged by a moderator — expires the article's tag. Here, not in one feature,
// because notes and moderation both write and neither may import the other.

export const publicNotesTag = (articleId: string) => `notes:${articleId}`;

/**
 * Expires an article's public notes on every instance (the cache handler shares the tag through
 * PostgreSQL, ADR 0022): the next page view anywhere shows the write. Expired, not marked stale
 * ("max"): stale-while-revalidate would serve the old page once more on each instance, and a
 * write must show on the next response (a hidden note must never be served again).
 * The cost stays bounded under many writers: a read of an expired page waits for one re-render,
 * and Next renders each cache key at most once at a time per instance (concurrent readers wait
 * for that render), so 50 writes/s to one article cost at most one render in flight per
 * instance and page, not one per reader.
 */
export function invalidatePublicNotes(articleId: string): void {
  try {
    revalidateTag(publicNotesTag(articleId), { expire: 0 });
  } catch {
    // Outside a Next request (scripts, tests) there is no cache to invalidate.
  }
}
