import { z } from "zod";
import "@/lib/zod-jitless";
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from "@/lib/content/slug";

export const vocabularySorts = ["newest", "oldest", "term", "article"] as const;
export type VocabularySort = (typeof vocabularySorts)[number];

/** The list's filters and order, from the page's query or the export's. Unknown values fall back. */
export const vocabularyQuerySchema = z.strictObject({
  article: z.string().regex(SLUG_PATTERN).max(SLUG_MAX_LENGTH).optional().catch(undefined),
  lang: z.enum(["en", "ja"]).optional().catch(undefined),
  sort: z.enum(vocabularySorts).default("newest").catch("newest"),
});
export type VocabularyQuery = z.infer<typeof vocabularyQuerySchema>;

export const vocabularyExportSchema = z.strictObject({
  format: z.enum(["anki", "csv"], { error: "format" }),
  article: z.string().regex(SLUG_PATTERN, { error: "article" }).max(SLUG_MAX_LENGTH, { error: "article" }).optional(),
  lang: z.enum(["en", "ja"], { error: "lang" }).optional(),
  sort: z.enum(vocabularySorts, { error: "sort" }).default("newest"),
});
export type VocabularyExport = z.infer<typeof vocabularyExportSchema>;

/** A reader's word list is bounded: the page and the files stop here. */
export const MAX_VOCABULARY = 5_000;
