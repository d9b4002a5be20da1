import "server-only";
import type { ReaderArticle } from "@/features/articles/data";
import { getViewerGroups } from "@/features/notes/data";
import { buildNoteOverlay } from "@/features/notes/loaders";
import type { NoteOverlay } from "@/features/notes/types";
import { parseLayers } from "@/lib/layers";

/**
 * The note overlay of a page rendered for one signed-in reader (a group reading, ADR 0019): their
 * own view with their layer choice (the layers cookie) applied, as the reader API would answer,
 * so the client's later redraw only refines it and never has to take highlights away.
 */
export async function loadViewerOverlay(article: ReaderArticle, viewerId: string, rawLayers: string | undefined): Promise<NoteOverlay> {
  const layers = rawLayers ? parseLayers(rawLayers, (await getViewerGroups(viewerId)).map((g) => g.id)) : null;
  return buildNoteOverlay(article, viewerId, { layers });
}
