import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import { readableArticlesOf } from "@/lib/permissions/articles";
import { sliceCodePoints } from "@/lib/text/code-points";
import { readingOf } from "@/lib/text/ruby";
import { alignSentences } from "@/lib/text/sentence-alignment";
import { learningKey, resolveLearningAids } from "@/features/articles/mutations";
import { pickTranslation } from "@/features/articles/schema";
import { MAX_VOCABULARY, type VocabularyQuery } from "./schema";
import type { VocabularyEntry } from "./types";

// A reader's word list: their own notes tagged "vocabulary" (never anyone else's), on articles
// they can still read (a group reading they left drops out, like everywhere else), deleted and
// purged notes left out. Readings and sentences come from the learning aids stored with each
// paragraph text (ADR 0037), filled here if a text has none yet.

const select = {
  id: true,
  locale: true,
  body: true,
  quoteExact: true,
  posStart: true,
  posEnd: true,
  createdAt: true,
  article: { select: { slug: true, groupId: true, originalLocale: true, translations: { select: { locale: true, title: true } } } },
  paragraph: {
    select: {
      id: true,
      key: true,
      position: true,
      texts: { select: { locale: true, text: true, contentHash: true, learningHash: true, sentences: true, furigana: true } },
    },
  },
} as const;

export async function listVocabulary(viewerId: string, query: VocabularyQuery, uiLocale: string): Promise<VocabularyEntry[]> {
  const rows = await getPrisma().note.findMany({
    where: {
      authorId: viewerId,
      tag: "vocabulary",
      deletedAt: null,
      purgedAt: null,
      parentId: null,
      ...(query.lang ? { locale: query.lang } : {}),
      article: { AND: [readableArticlesOf(viewerId).where, ...(query.article ? [{ slug: query.article }] : [])] },
    },
    select,
    orderBy: [{ createdAt: query.sort === "oldest" ? "asc" : "desc" }, { id: "asc" }],
    take: MAX_VOCABULARY,
  });

  // Several terms share a paragraph: each paragraph's aids are resolved once.
  const paragraphs = [...new Map(rows.map((row) => [row.paragraph.id, row.paragraph])).values()];
  const aids = await resolveLearningAids(paragraphs);

  const entries = rows.map((row): VocabularyEntry => {
    const texts = new Map(
      row.paragraph.texts.map((t) => [t.locale, { text: t.text, ...aids.get(learningKey(row.paragraph.id, t.locale))! }]),
    );
    const own = texts.get(row.locale);
    const otherLocale = row.locale === "en" ? "ja" : "en";
    const other = texts.get(otherLocale);
    const start = row.posStart ?? (own && row.quoteExact ? codePointIndexOf(own.text, row.quoteExact) : null);
    const end = row.posEnd ?? (start !== null && row.quoteExact ? start + [...row.quoteExact].length : null);
    const sentenceIndex = own && start !== null ? own.sentences.findIndex((span) => start >= span.start && start < span.end) : -1;
    const sentence = own && sentenceIndex >= 0 ? sliceCodePoints(own.text, own.sentences[sentenceIndex]!.start, own.sentences[sentenceIndex]!.end) : null;
    let otherSentence: VocabularyEntry["otherSentence"] = null;
    if (own && other && sentenceIndex >= 0 && own.sentences.length && other.sentences.length) {
      const [en, ja] = row.locale === "en" ? [own, other] : [other, own];
      const pairs = alignSentences(
        en.sentences.map((span) => span.end - span.start),
        ja.sentences.map((span) => span.end - span.start),
      );
      const pair = pairs.find(([fromEn, toEn, fromJa, toJa]) =>
        row.locale === "en" ? sentenceIndex >= fromEn && sentenceIndex < toEn : sentenceIndex >= fromJa && sentenceIndex < toJa,
      );
      if (pair) {
        const [from, to] = row.locale === "en" ? [pair[2], pair[3]] : [pair[0], pair[1]];
        const spans = other.sentences.slice(from, to);
        if (spans.length) otherSentence = { locale: otherLocale, text: sliceCodePoints(other.text, spans[0]!.start, spans[spans.length - 1]!.end) };
      }
    }
    const title = pickTranslation(row.article.translations, uiLocale, row.article.originalLocale)?.title ?? row.article.slug;
    return {
      noteId: row.id,
      term: row.quoteExact,
      reading: own?.furigana && start !== null && end !== null ? readingOf(own.furigana, start, end) : null,
      locale: row.locale,
      meaning: row.body,
      sentence,
      otherSentence,
      article: { slug: row.article.slug, groupId: row.article.groupId, title },
      paragraph: { key: row.paragraph.key, position: row.paragraph.position },
      createdAt: row.createdAt.toISOString(),
    };
  });

  if (query.sort === "term") {
    const collator = new Intl.Collator(uiLocale);
    entries.sort((a, b) => collator.compare(a.reading ?? a.term ?? "", b.reading ?? b.term ?? ""));
  } else if (query.sort === "article") {
    const collator = new Intl.Collator(uiLocale);
    entries.sort((a, b) => collator.compare(a.article.title, b.article.title) || a.paragraph.position - b.paragraph.position);
  }
  return entries;
}

/** The articles the reader has vocabulary on, for the filter. */
export async function listVocabularyArticles(viewerId: string, uiLocale: string): Promise<{ slug: string; title: string }[]> {
  const rows = await getPrisma().article.findMany({
    where: { AND: [readableArticlesOf(viewerId).where, { notes: { some: { authorId: viewerId, tag: "vocabulary", deletedAt: null, purgedAt: null, parentId: null } } }] },
    select: { slug: true, originalLocale: true, translations: { select: { locale: true, title: true } } },
  });
  const collator = new Intl.Collator(uiLocale);
  return rows
    .map((row) => ({
      slug: row.slug,
      title: pickTranslation(row.translations, uiLocale, row.originalLocale)?.title ?? row.slug,
    }))
    .sort((a, b) => collator.compare(a.title, b.title));
}

function codePointIndexOf(text: string, quote: string): number | null {
  const at = text.indexOf(quote);
  return at < 0 ? null : [...text.slice(0, at)].length;
}
