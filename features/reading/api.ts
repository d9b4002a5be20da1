import "server-only";
import { loadReaderArticle } from "@/features/articles/loaders";
import { getViewerGroups } from "@/features/notes/data";
import { buildHighlightRepaint } from "@/features/notes/loaders";
import { defineEndpoint } from "@/lib/http/endpoint";
import { readCookie } from "@/lib/http/request-context";
import { ok } from "@/lib/http/responses";
import { LAYERS_COOKIE, parseLayers, serializeLayers } from "@/lib/layers";
import { getReaderOverlayData } from "./data";
import { openReadingSession } from "./mutations";
import { highlightsQuerySchema, openReadingSchema } from "./schema";
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
  { messages: "Notes", auth: "optional", params: { slug: "slug" }, body: openReadingSchema, bodyOptional: true },
  async ({ request, params, body, viewer, notFound }) => {
    const article = await loadReaderArticle(params.slug);
    if (!article) return notFound();
    if (!viewer) return ok({ state: null });
    const { since, groups, suspension } = await openReadingSession(viewer.id, article.id);
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
    };
    return ok({ state });
  },
);

/**
 * GET /api/articles/{slug}/highlights?paragraphs=<id>,…: the highlights of these paragraphs as
 * this reader sees them (their layers applied), for repainting after a write or a live note.
 */
export const getHighlights = defineEndpoint(
  { messages: "Notes", auth: "optional", params: { slug: "slug" }, query: highlightsQuerySchema },
  async ({ request, params, query, viewer, notFound }) => {
    const article = await loadReaderArticle(params.slug);
    if (!article) return notFound();
    const viewerId = viewer?.id ?? null;
    const raw = viewerId ? readCookie(request, LAYERS_COOKIE) : null;
    const layers = raw ? parseLayers(raw, (await getViewerGroups(viewerId)).map((g) => g.id)) : null;
    const repaint = await buildHighlightRepaint(article, viewerId, { layers, paragraphIds: query.paragraphs });
    return ok({ highlights: repaint });
  },
);
