import "server-only";
import type { AppLocale } from "@/i18n/routing";
import { ankiHeader, ankiLine } from "@/lib/export/anki";
import { attachmentDisposition } from "@/lib/export/content-disposition";
import { CSV_BOM, csvRow } from "@/lib/export/csv";
import { defineEndpoint } from "@/lib/http/endpoint";
import { siteUrl } from "@/lib/site-url";
import { articleHref } from "@/features/articles/types";
import { listVocabulary } from "./data";
import { vocabularyExportSchema } from "./schema";
import type { VocabularyEntry } from "./types";

const CSV_COLUMNS = ["Term", "Reading", "Meaning", "Sentence", "Other sentence", "Language", "Article", "URL", "Created at"];

/** The entry's paragraph on the site, as an absolute link a flashcard can open. */
function sourceUrl(entry: VocabularyEntry, locale: AppLocale): string {
  const path = articleHref(locale, entry.article, entry.locale === "en" || entry.locale === "ja" ? entry.locale : undefined);
  return new URL(`${path}#${entry.paragraph.key}`, siteUrl()).toString();
}

/** GET /api/vocabulary/export?format=anki|csv — the reader's word list as a file (Anki text or CSV). */
export const exportVocabulary = defineEndpoint(
  {
    summary: "Downloads the caller's vocabulary notes as an Anki text file (tab-separated, with Anki's header lines) or as CSV.",
    messages: "Vocabulary",
    auth: "required",
    tokens: "read",
    query: vocabularyExportSchema,
    produces: ["text/plain", "text/csv"],
  },
  async ({ viewer, query, locale }) => {
    const entries = await listVocabulary(viewer.id, { article: query.article, lang: query.lang, sort: query.sort }, locale);
    const sentenceOf = (entry: VocabularyEntry) => [entry.sentence, entry.otherSentence?.text].filter(Boolean).join(" / ");
    const body =
      query.format === "anki"
        ? ankiHeader() +
          entries
            .map((entry) => ankiLine({ front: entry.term ?? "", back: entry.meaning, reading: entry.reading ?? "", sentence: sentenceOf(entry), source: sourceUrl(entry, locale) }))
            .join("")
        : CSV_BOM +
          csvRow(CSV_COLUMNS) +
          entries
            .map((entry) =>
              csvRow([entry.term, entry.reading, entry.meaning, entry.sentence, entry.otherSentence?.text, entry.locale, entry.article.title, sourceUrl(entry, locale), entry.createdAt]),
            )
            .join("");
    const fileName = query.format === "anki" ? "taiyaku-vocabulary.txt" : "taiyaku-vocabulary.csv";
    return new Response(body, {
      status: 200,
      headers: {
        "content-type": query.format === "anki" ? "text/plain; charset=utf-8" : "text/csv; charset=utf-8",
        "content-disposition": attachmentDisposition(fileName),
        "cache-control": "private, no-store",
      },
    });
  },
);
