import "server-only";
import { loadReadableArticle } from "@/features/articles/loaders";
import { getViewerGroups } from "@/features/notes/data";
import { buildHighlightRepaint } from "@/features/notes/loaders";
import { defineEndpoint } from "@/lib/http/endpoint";
import { readCookie } from "@/lib/http/request-context";
import { ok } from "@/lib/http/responses";
import type { Bucket } from "@/lib/db/rate-limit";
import { LAYERS_COOKIE, parseLayers, serializeLayers } from "@/lib/layers";
import { getReaderOverlayData, listContinueReading } from "./data";
import { openReadingSession, saveReadingPosition } from "./mutations";
import { highlightsQuerySchema, openReadingSchema, readingPositionSchema } from "./schema";
import type { ReaderState } from "./types";

// The reader's own layer over the cached article page (ADR 0012): endpoints behind thin route
// files (app/api/articles/[slug]/…), on the one pipeline (lib/http/endpoint.ts).

/**
 * POST /api/articles/{slug}/reading: a signed-in reader opened the article (or changed layers).
 * Records the visit (after reading the previous one, which the "new since" markers compare
 * against) and answers with everything the cached page cannot know: counts including their
 * private and group notes, their highlights, layers, groups and any suspension. A POST because
 * it writes the visit; signed-out callers get `state: null` (their page is already complete).
 */
export const openReading = defineEndpoint(
  { summary: "A reader opened an article: records the visit and answers what the cached page cannot know (their counts, highlights, layers, groups); `state: null` when signed out.", messages: "Notes", auth: "optional", params: { slug: "slug" }, body: openReadingSchema, bodyOptional: true },
  async ({ request, params, body, viewer, notFound }) => {
    const article = await loadReadableArticle(params.slug, viewer);
    if (!article) return notFound();
    if (!viewer) return ok({ state: null });
    // Notes whose passage changed ride on the visit's statement, and only when the article has any.
    const { since, groups, suspension, passageChanged } = await openReadingSession(viewer.id, article.id, new Date(), {
      passageChanged: article.hasPassageChanges !== false,
    });
    const layers = parseLayers(readCookie(request, LAYERS_COOKIE), groups.map((g) => g.id));
    const ownSince = body.renderedAt === undefined ? null : new Date(body.renderedAt);
    const { scope, redrawParagraphIds, ...counts } = await getReaderOverlayData(article.id, viewer.id, { layers, since, ownSince });
    const highlights = await buildHighlightRepaint(article, viewer.id, {
      layers,
      scope,
      paragraphIds: [...redrawParagraphIds, ...(body.paragraphs ?? [])],
    });
    const state: ReaderState = {
      viewer: { id: viewer.id, name: viewer.name },
      ...counts,
      highlights,
      groups: groups.map(({ id, name }) => ({ id, name })),
      layers: serializeLayers(layers),
      suspension,
      passageChanged,
    };
    return ok({ state });
  },
);

/**
 * GET /api/articles/{slug}/highlights?paragraphs=<id>,…: the highlights of these paragraphs as
 * this reader sees them (their layers applied), for repainting after a write or a live note.
 */
export const getHighlights = defineEndpoint(
  { summary: "The highlights of some paragraphs as the caller sees them (their layers applied), for repainting.", messages: "Notes", auth: "optional", params: { slug: "slug" }, query: highlightsQuerySchema },
  async ({ request, params, query, viewer, notFound }) => {
    const article = await loadReadableArticle(params.slug, viewer);
    if (!article) return notFound();
    const viewerId = viewer?.id ?? null;
    const raw = viewerId ? readCookie(request, LAYERS_COOKIE) : null;
    const layers = raw ? parseLayers(raw, (await getViewerGroups(viewerId)).map((g) => g.id)) : null;
    const repaint = await buildHighlightRepaint(article, viewerId, { layers, paragraphIds: query.paragraphs });
    return ok({ highlights: repaint });
  },
);

/**
 * The reading-position bucket, per user: the page reports at most one position every few
 * seconds while the reader scrolls (and once on leaving), so a reader never meets this; it only
 * bounds a client that would write in a loop. Its own bucket: it never spends a note's tokens.
 */
export const READING_POSITION_BUCKET: Bucket = { capacity: 20, refillPerSecond: 0.5 };

/**
 * PUT /api/articles/{slug}/reading { paragraph: "p-7" }: the paragraph a signed-in reader is at,
 * for "continue reading at ¶N". A write on the writers' path (its own rate-limit bucket); a key
 * the article does not have (any more) is ignored: `{ saved: false }`.
 */
export const putReadingPosition = defineEndpoint(
  {
    summary: "Save the paragraph the signed-in reader is at, for \"continue reading\".",
    messages: "Notes",
    auth: "writer",
    writeLimit: { key: "reading-position", bucket: READING_POSITION_BUCKET },
    params: { slug: "slug" },
    body: readingPositionSchema,
  },
  async ({ params, body, viewer, notFound }) => {
    const { found, saved } = await saveReadingPosition(viewer, params.slug, body.paragraph);
    if (!found) return notFound();
    return ok({ saved });
  },
);

/**
 * GET /api/me/continue-reading: where the signed-in reader left their recently visited articles,
 * `{ items: { [slug]: { key, position } } }`, for the cached home list to add its
 * "continue reading at ¶N" links after it loads (ADR 0012). Signed out: `{ items: {} }`.
 */
export const getContinueReading = defineEndpoint({ summary: "Where the signed-in reader left their recently visited articles (empty when signed out).", messages: "Notes", auth: "optional" }, async ({ viewer }) => {
  if (!viewer) return ok({ items: {} });
  return ok({ items: await listContinueReading(viewer) });
});
