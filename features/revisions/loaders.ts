import "server-only";
import { cache } from "react";
import { z } from "zod";
import "@/lib/zod-jitless";
import { buildRevisionDiff } from "@/lib/content/revision-diff";
import type { RevisionSnapshot } from "@/lib/content/article-document";
import type { Principal, SiteRole } from "@/lib/permissions/core";
import { isValidSlug } from "@/lib/content/slug";
import { getHistoryArticle, getPublicPassageChangedNotes, getRevisionSnapshots, listPassageChangedNotes, listRevisions } from "./data";
import type { PassageChangedNote, RevisionComparison, RevisionHistory } from "./types";

const revisionNumber = z.coerce.number().int().min(1).max(1_000_000);

/** ?from=&to= of the history page: anything else (repeated, not a number) is the default comparison. */
const comparisonQuerySchema = z.object({
  from: revisionNumber.optional().catch(undefined),
  to: revisionNumber.optional().catch(undefined),
});

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A snapshot as publishing writes it; anything else is treated as missing rather than crashing the page. */
function isSnapshot(value: RevisionSnapshot | undefined): value is RevisionSnapshot {
  return !!value && Array.isArray(value.paragraphs) && value.paragraphs.every((p) => typeof p?.key === "string" && typeof p.text === "object" && p.text !== null);
}

/**
 * The history page's data: the article (null when this viewer may not read it: the page answers
 * 404), its revisions newest first, and the chosen comparison. Without a choice the newest revision
 * is compared with the one before it; `to` alone compares it with its predecessor; a reversed pair
 * is put in order.
 */
export function loadRevisionHistory(
  slug: string,
  principal: Principal,
  searchParams: Record<string, string | string[] | undefined>,
): Promise<RevisionHistory | null> {
  // Primitive arguments, so generateMetadata and the page share one read per request (cache()).
  return loadHistoryCached(slug, principal?.id ?? null, principal?.role ?? null, single(searchParams.from) ?? null, single(searchParams.to) ?? null);
}

const loadHistoryCached = cache(
  async (slug: string, viewerId: string | null, role: SiteRole | null, from: string | null, to: string | null): Promise<RevisionHistory | null> => {
    if (!isValidSlug(slug)) return null;
    const article = await getHistoryArticle(slug, viewerId && role ? { id: viewerId, role } : null);
    if (!article) return null;
    const revisions = await listRevisions(article.id);
    const query = comparisonQuerySchema.parse({ from: from ?? undefined, to: to ?? undefined });
    return { article, revisions, comparison: await compare(article.id, revisions.map((r) => r.number), query) };
  },
);

async function compare(articleId: string, numbers: number[], query: { from?: number; to?: number }): Promise<RevisionComparison> {
  const latest = numbers[0];
  if (latest === undefined) return { state: "none" };
  let to = query.to !== undefined && numbers.includes(query.to) ? query.to : latest;
  let from = query.from !== undefined && numbers.includes(query.from) ? query.from : numbers.find((n) => n < to);
  if (from !== undefined && from > to) [from, to] = [to, from];
  if (from === undefined) return { state: "first", to };
  if (from === to) return { state: "same", to };
  const snapshots = await getRevisionSnapshots(articleId, [from, to]);
  const before = snapshots.get(from);
  const after = snapshots.get(to);
  if (!isSnapshot(before) || !isSnapshot(after)) return { state: "none" };
  return { state: "diff", from, to, diff: buildRevisionDiff(before, after) };
}

/**
 * "Notes whose passage changed" as this viewer sees them (null: a signed-out reader, from the
 * cache the public page shares). Nothing to ask when the article says no revision left any
 * (`hasPassageChanges: false`, read with the article).
 */
export async function loadPassageChangedNotes(article: { id: string; hasPassageChanges?: boolean }, viewerId: string | null): Promise<PassageChangedNote[]> {
  if (article.hasPassageChanges === false) return [];
  return viewerId ? listPassageChangedNotes(article.id, viewerId) : getPublicPassageChangedNotes(article.id);
}
