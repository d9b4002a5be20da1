import { z } from "zod";
import "@/lib/zod-jitless";

/** GET /api/articles/{slug}/highlights?paragraphs=<id>,<id>: the paragraphs to repaint. */
export const highlightsQuerySchema = z.object({
  paragraphs: z
    .string()
    .max(2_000)
    .transform((value) => value.split(",").filter(Boolean))
    .pipe(z.array(z.uuid()).min(1).max(50)),
});

/**
 * POST /api/articles/{slug}/reading: when the cached page read its notes (ms since the epoch: the
 * reader's own highlights written since are redrawn) and the paragraphs the page already redrew
 * after a write, so a reload of the state keeps them current; anything else is refused.
 */
export const openReadingSchema = z
  .object({ renderedAt: z.int().min(0).max(8_640_000_000_000_000).optional(), paragraphs: z.array(z.uuid()).max(50).optional() })
  .strict();

/** A paragraph key as the content gives them ("p-7"): never renumbered, never reused. */
export const PARAGRAPH_KEY_PATTERN = /^p-[1-9][0-9]{0,8}$/;

/**
 * PUT /api/articles/{slug}/reading: the paragraph at the top of the reader's screen, by key, so
 * "continue reading at ¶N" survives revisions (N is looked up from the key when shown).
 */
export const readingPositionSchema = z.object({ paragraph: z.string().max(32).regex(PARAGRAPH_KEY_PATTERN) }).strict();
