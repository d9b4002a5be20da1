import "server-only";
import { unstable_cache } from "next/cache";
import { getPrisma } from "@/lib/db/prisma";
import type { ArticleDocument, ContentLocale, DocumentTranslation } from "@/lib/content/article-document";
import type { ArticleFolderContent } from "@/lib/content/article-files";
import { Prisma } from "@/lib/generated/prisma/client";
import { readableArticles, readableArticlesOf } from "@/lib/permissions/articles";
import type { Principal } from "@/lib/permissions/core";
import { liveGroupsOf } from "@/lib/permissions/groups";
import type { RubySegments } from "@/lib/text/ruby";
import type { SentenceSpan } from "@/lib/text/sentences";
import { learningKey, resolveLearningAids } from "./mutations";
import { SEARCH_PAGE_SIZE, type ArticleSearch } from "./schema";

// Reads return plain, serialisable objects (ISO date strings): they pass through the data cache,
// which stores JSON, so a Date would come back as a string anyway.

export type ArticleSummary = {
  slug: string;
  originalLocale: string;
  source: string;
  publishedAt: string;
  paragraphCount: number;
  translations: { locale: string; title: string; summary: string }[];
};

export type ReaderArticle = {
  id: string;
  slug: string;
  /** The group whose reading this is (members only, ADR 0019); null for a public article. */
  groupId: string | null;
  originalLocale: string;
  source: string;
  sourceUrl: string | null;
  /** The byline (the source's author) and the rights note ("© Kyodo News, quoted for study"). */
  author: string | null;
  rightsNote: string | null;
  publishedAt: string;
  translations: { locale: string; title: string; summary: string; translator: string | null }[];
  /** `heading`: a heading kept as a paragraph (it takes notes like any other). */
  paragraphs: {
    id: string;
    key: string;
    position: number;
    heading: boolean;
    text: Record<string, string>;
    /** Furigana of the Japanese text (ADR 0037); absent in previews of unsaved drafts. */
    ruby?: Partial<Record<string, RubySegments>>;
    /** Sentence spans per language (code points), for sentence pairs and read-aloud. */
    sentences?: Partial<Record<string, SentenceSpan[]>>;
  }[];
  /**
   * Whether a revision left anything for "notes whose passage changed" (a removed paragraph, a
   * note marked by publishing). False lets the reader skip that query altogether (most articles,
   * on every signed-in page view); absent (a draft's preview) means unknown.
   */
  hasPassageChanges?: boolean;
};

export const articleTags = {
  all: "articles",
  one: (slug: string) => `article:${slug}`,
};

const readerArticleSelect = {
  id: true,
  slug: true,
  groupId: true,
  originalLocale: true,
  source: true,
  sourceUrl: true,
  author: true,
  rightsNote: true,
  publishedAt: true,
  translations: { select: { locale: true, title: true, summary: true, translator: true }, orderBy: { locale: "asc" } },
  paragraphs: {
    where: { position: { gt: 0 } },
    orderBy: { position: "asc" },
    select: {
      id: true,
      key: true,
      position: true,
      heading: true,
      texts: { select: { locale: true, text: true, contentHash: true, learningHash: true, sentences: true, furigana: true } },
    },
  },
  // In the same statement (relationJoins), through paragraph(article_id, position) and note_passage_changed_idx.
  _count: { select: { paragraphs: { where: { position: { lte: 0 } } }, notes: { where: { passageChangedAt: { not: null } } } } },
} satisfies Prisma.ArticleSelect;

async function toReaderArticle({ _count, ...row }: Prisma.ArticleGetPayload<{ select: typeof readerArticleSelect }>): Promise<ReaderArticle> {
  // Texts written since their learning aids were computed (or never analysed) get them now, once.
  const aids = await resolveLearningAids(row.paragraphs);
  return {
    ...row,
    hasPassageChanges: _count.paragraphs > 0 || _count.notes > 0,
    publishedAt: row.publishedAt.toISOString().slice(0, 10),
    paragraphs: row.paragraphs.map(({ texts, ...paragraph }) => {
      const own = texts.map((t) => ({ locale: t.locale, ...aids.get(learningKey(paragraph.id, t.locale))! }));
      return {
        ...paragraph,
        text: Object.fromEntries(texts.map((t) => [t.locale, t.text])),
        ruby: Object.fromEntries(own.flatMap((aid) => (aid.furigana ? [[aid.locale, aid.furigana]] : []))),
        sentences: Object.fromEntries(own.map((aid) => [aid.locale, aid.sentences])),
      };
    }),
  };
}


/**
 * The cached reader data is shared by every visitor, so it holds public published articles only
 * (the anonymous reader's rule): a group reading or a draft is the ordinary 404 at
 * /articles/{slug}, for everyone, and never enters a shared cache (ADR 0019).
 */
async function queryReaderArticle(slug: string): Promise<ReaderArticle | null> {
  const row = await getPrisma().article.findFirst({ where: { slug, ...readableArticles(null).where }, select: readerArticleSelect });
  return row ? await toReaderArticle(row) : null;
}

/**
 * Any article this viewer may read (readableArticles), group readings included, read per request
 * and never cached: membership is checked on every read (ADR 0009), so leaving a group ends
 * access with the next request.
 */
export async function getReadableArticle(slug: string, viewerId: string | null): Promise<ReaderArticle | null> {
  const row = await getPrisma().article.findFirst({ where: { AND: [{ slug }, readableArticlesOf(viewerId).where] }, select: readerArticleSelect });
  return row ? await toReaderArticle(row) : null;
}

export function getReaderArticle(slug: string): Promise<ReaderArticle | null> {
  return unstable_cache(() => queryReaderArticle(slug), ["reader-article", slug], {
    tags: [articleTags.all, articleTags.one(slug)],
    revalidate: 300,
  })();
}

/** An article as the home list, feeds, the sitemap and search engines may list it. */
export type PublicArticle = {
  slug: string;
  originalLocale: string;
  source: string;
  sourceUrl: string | null;
  /** The source's publication date (YYYY-MM-DD). */
  publishedAt: string;
  /** Last change to the article or any of its translations (ISO timestamp). */
  updatedAt: string;
  paragraphCount: number;
  translations: { locale: string; title: string; summary: string; translator: string | null }[];
};

async function queryPublicArticles(): Promise<PublicArticle[]> {
  // Published public articles only (the anonymous reader's rule, readableArticles(null)): the
  // home list, the Atom feeds, /sitemap.xml and the discovery metadata list exactly what this
  // returns, and a feed cannot be un-published. Group readings are listed on their group's page.
  const rows = await getPrisma().article.findMany({
    where: readableArticles(null).where,
    orderBy: [{ publishedAt: "desc" }, { slug: "asc" }],
    select: {
      slug: true,
      originalLocale: true,
      source: true,
      sourceUrl: true,
      publishedAt: true,
      updatedAt: true,
      translations: {
        select: { locale: true, title: true, summary: true, translator: true, updatedAt: true },
        orderBy: { locale: "asc" },
      },
      // Paragraphs dropped from the content are parked at positions <= 0, never deleted.
      _count: { select: { paragraphs: { where: { position: { gt: 0 } } } } },
    },
  });
  return rows.map(({ publishedAt, updatedAt, translations, _count, ...row }) => ({
    ...row,
    paragraphCount: _count.paragraphs,
    publishedAt: publishedAt.toISOString().slice(0, 10),
    updatedAt: new Date(Math.max(updatedAt.getTime(), ...translations.map((t) => t.updatedAt.getTime()))).toISOString(),
    translations: translations.map(({ updatedAt: _updated, ...translation }) => translation),
  }));
}

/** What the home list, the Atom feeds and /sitemap.xml show: public articles only, newest first. */
export const listPublicArticles = unstable_cache(queryPublicArticles, ["public-articles"], {
  tags: [articleTags.all],
  revalidate: 300,
});

/** One entry of a library search: the summary plus what the list shows about discussion and the viewer. */
export type SearchedArticle = ArticleSummary & {
  tags: string[];
  /** Public, visible notes on the article. */
  noteCount: number;
  /** Of those, written in the last 7 days ("most discussed this week"). */
  weekNoteCount: number;
  /** The viewer's last visit (ISO timestamp); null when signed out or never opened. */
  lastVisitedAt: string | null;
  /** Where the viewer left off: the paragraph's key and its position now; null when signed out or none. */
  continueAt: { key: string; position: number } | null;
  /** The group whose reading this is (only its members find it); null for a public article. */
  group: { id: string; name: string } | null;
};
export type ArticleSearchResult = { total: number; page: number; pageSize: number; items: SearchedArticle[] };

type SearchRow = {
  total: number;
  slug: string | null;
  original_locale: string;
  source: string;
  published_at: Date;
  tags: string[];
  translations: { locale: string; title: string; summary: string }[];
  paragraph_count: number;
  note_count: number;
  week_note_count: number;
  last_visited_at: Date | null;
  continue_key: string | null;
  continue_position: number | null;
  group_id: string | null;
  group_name: string | null;
};

/** `%q%` for LIKE with the user's own % and _ taken literally. */
function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The library search: one statement finds, filters (tag, language, group, who may read), ranks,
 * counts and pages. It reads article_search, one row per article kept by
 * refresh_article_search (ADR 0021):
 * - Substrings in both languages (Japanese has no spaces, so words are substrings): titles and
 *   summaries are stored lowercased, so LIKE on lower(q) is ILIKE without lowercasing them on
 *   every query. 1–2 characters (輸出, 米): `grams`, every 1–2 character substring of the
 *   article, answered exactly by its GIN index. 3+ ASCII letters and digits: `words` and the
 *   search_word vocabulary (no text read). Anything else: trigram indexes on the titles and
 *   summaries, and on paragraph_text (rechecked on short paragraphs, not whole articles).
 * - English stems: the stored, weighted tsvector (GIN) — "exports" finds "export". Several words
 *   must all be in the article (not necessarily in one paragraph).
 * - Each way is its own UNION ALL branch, so each can use its index (an OR across them made the
 *   planner scan). Only the candidates are ranked: title > summary > text; trigram
 *   word_similarity orders title matches within their tier, the full-text rank of the English
 *   text orders the rest (ties: newest first).
 * Paging is by offset with a total order (slug breaks ties), so pages have no gaps or repeats.
 */
export async function searchArticles(search: ArticleSearch, viewerId: string | null): Promise<ArticleSearchResult> {
  // Signed out, a search's answer is the same for everyone: cached per search, dropped on every
  // instance when an article is published or changed (articles:all, shared tag store, ADR 0022).
  // Its note counts may lag by up to a minute; signed-in readers (their group readings, their
  // visits) always get a fresh answer.
  if (viewerId === null) {
    const key = JSON.stringify([search.q, search.tag ?? "", search.group ?? "", search.lang ?? "", search.sort ?? "", search.page]);
    return unstable_cache(() => querySearch(search, null), ["public-search", key], { tags: [articleTags.all], revalidate: 60 })();
  }
  return querySearch(search, viewerId);
}

async function querySearch(search: ArticleSearch, viewerId: string | null): Promise<ArticleSearchResult> {
  const { q, tag, lang, sort, page } = search;
  const offset = (page - 1) * SEARCH_PAGE_SIZE;
  const hasQuery = q.length > 0;
  const length = Array.from(q).length;
  // word_similarity on one or two characters is noise: substring matches decide those alone.
  const fuzzy = length >= 3;
  // Letters and digits of ASCII only ("govern", "f35"): every occurrence lies inside one word of
  // the text (a run of letters and digits), so article_search.words answers it exactly.
  const asciiWord = /^[a-z0-9]+$/i.test(q);
  // Lowercased by the database (lower(), as the stored texts were); constants when planned, so
  // the indexes apply.
  const needle = Prisma.sql`lower(${q}::text)`;
  const pattern = Prisma.sql`lower(${containsPattern(q)}::text)`;

  const hits = hasQuery
    ? Prisma.sql`,
      input AS (SELECT ${needle} AS q, ${pattern} AS pat, websearch_to_tsquery('english', ${q}) AS tsq),
      hits AS (
        SELECT s.article_id FROM article_search s WHERE s.tsv @@ websearch_to_tsquery('english', ${q})
        UNION ALL ${
          length <= 2
            ? // grams covers the titles and summaries too.
              Prisma.sql`SELECT s.article_id FROM article_search s WHERE s.grams @> ARRAY[${needle}]`
            : asciiWord
              ? // In a word of a title, summary or paragraph: the words holding it (trigrams), then their articles; no text is read.
                Prisma.sql`SELECT s.article_id FROM article_search s
                  WHERE s.words && ARRAY(SELECT w.word FROM search_word w WHERE w.word LIKE ${pattern})`
              : Prisma.sql`SELECT s.article_id FROM article_search s WHERE s.title LIKE ${pattern}
                  UNION ALL SELECT s.article_id FROM article_search s WHERE s.summary LIKE ${pattern}
                  -- Paragraph by paragraph: the trigram index's candidates are rechecked on short texts.
                  UNION ALL SELECT p.article_id FROM paragraph_text pt JOIN paragraph p ON p.id = pt.paragraph_id AND p.position > 0
                  WHERE pt.text ILIKE ${containsPattern(q)}`
        }
      ),
      matched AS (
        SELECT s.article_id,
          (s.title LIKE i.pat OR s.title_tsv @@ i.tsq) AS in_title,
          (s.summary LIKE i.pat OR s.summary_tsv @@ i.tsq) AS in_summary,
          -- The English text's full-text rank (weights D, C, B, A: the text only).
          least(ts_rank('{1,0,0,0}', s.tsv, i.tsq), 0.5) AS text_rank,
          s.title
        FROM (SELECT DISTINCT article_id FROM hits) h
        JOIN article_search s ON s.article_id = h.article_id
        CROSS JOIN input i
      ),
      scored AS (
        SELECT m.article_id,
          -- Tiers: a title match (>= 6) beats any summary-only match (2 + 0.5), which beats text
          -- (<= 0.5). word_similarity orders title matches only: on the long summaries it would
          -- cost more than the rest of the ranking.
          CASE WHEN m.in_title THEN 6 ${fuzzy ? Prisma.sql`+ word_similarity(i.q, m.title)` : Prisma.empty} ELSE 0 END
            + CASE WHEN m.in_summary THEN 2 ELSE 0 END
            + m.text_rank AS score
        FROM matched m CROSS JOIN input i
      )`
    : Prisma.empty;

  // What the viewer may read (published; group readings for their members), then the filters.
  const filters: Prisma.Sql[] = [readableArticlesOf(viewerId).sql];
  if (search.group) filters.push(Prisma.sql`a.group_id = ${search.group}::uuid`);
  if (tag) filters.push(Prisma.sql`${tag}::text = ANY (a.tags)`);
  const hasLocale = (locale: string) => Prisma.sql`EXISTS (SELECT 1 FROM article_translation l WHERE l.article_id = a.id AND l.locale = ${locale})`;
  if (lang === "en" || lang === "both") filters.push(hasLocale("en"));
  if (lang === "ja" || lang === "both") filters.push(hasLocale("ja"));
  const where = filters.length ? Prisma.sql`WHERE ${Prisma.join(filters, " AND ")}` : Prisma.empty;

  const effectiveSort = sort ?? (hasQuery ? "relevance" : "newest");
  const order =
    effectiveSort === "discussed"
      ? Prisma.sql`f.week_note_count DESC, f.score DESC, f.published_at DESC, f.slug ASC`
      : effectiveSort === "relevance"
        ? Prisma.sql`f.score DESC, f.published_at DESC, f.slug ASC`
        : Prisma.sql`f.published_at DESC, f.slug ASC`;

  const prisma = getPrisma();
  const statement = prisma.$queryRaw<SearchRow[]>`
    WITH week AS (
      SELECT n.article_id, count(*)::int AS n
      FROM note n
      WHERE n.visibility = 'public' AND n.status = 'visible' AND n.deleted_at IS NULL
        AND n.created_at > now() - interval '7 days'
      GROUP BY n.article_id
    )${hits},
    filtered AS (
      SELECT a.id, a.slug, a.published_at, ${hasQuery ? Prisma.sql`s.score` : Prisma.sql`0::numeric`} AS score,
        coalesce(w.n, 0) AS week_note_count
      FROM article a
      ${hasQuery ? Prisma.sql`JOIN scored s ON s.article_id = a.id` : Prisma.empty}
      LEFT JOIN week w ON w.article_id = a.id
      ${where}
    ),
    paged AS (
      SELECT f.* FROM filtered f ORDER BY ${order} LIMIT ${SEARCH_PAGE_SIZE} OFFSET ${offset}
    )
    SELECT (SELECT count(*) FROM filtered)::int AS total,
      a.slug, a.original_locale, a.source, a.published_at, coalesce(a.tags, '{}') AS tags,
      coalesce((SELECT json_agg(json_build_object('locale', tr.locale, 'title', tr.title, 'summary', tr.summary) ORDER BY tr.locale)
                FROM article_translation tr WHERE tr.article_id = a.id), '[]'::json) AS translations,
      (SELECT count(*) FROM paragraph p WHERE p.article_id = a.id AND p.position > 0)::int AS paragraph_count,
      (SELECT coalesce(sum(st.public_count), 0) FROM paragraph_note_stats st
        JOIN paragraph p ON p.id = st.paragraph_id AND p.position > 0 WHERE st.article_id = a.id)::int AS note_count,
      f.week_note_count,
      v.last_visited_at,
      cp.key AS continue_key, cp.position AS continue_position,
      a.group_id::text AS group_id, (SELECT g.name FROM "group" g WHERE g.id = a.group_id) AS group_name
    FROM (SELECT 1) AS one
    LEFT JOIN paged f ON TRUE
    LEFT JOIN article a ON a.id = f.id
    LEFT JOIN article_visit v ON v.article_id = a.id AND v.user_id = ${viewerId}
    -- "Continue reading at ¶N": N is the remembered paragraph's position now (it follows revisions).
    LEFT JOIN paragraph cp ON cp.article_id = a.id AND cp.key = v.paragraph_key AND cp.position > 0
    ORDER BY ${order}`;
  // With a query, the candidates come from the GIN indexes only. article_search is small (one row
  // per article), so the planner would rather scan it — but each row it reads there unpacks a
  // long, out-of-line grams array (or rechecks a trigram): for the same rows the bitmap scans are
  // several times faster. Parallel workers only add start-up cost to these short statements, and
  // the joins are written in the order they should run (planning them was a tenth of the time).
  // set_config(…, true) is SET LOCAL: it ends with this transaction.
  const rows = hasQuery
    ? (await prisma.$transaction([
        prisma.$queryRaw`SELECT set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true),
          set_config('join_collapse_limit', '1', true), set_config('from_collapse_limit', '1', true)`,
        statement,
      ]))[1]
    : await statement;

  const total = rows[0]?.total ?? 0;
  const items = rows
    .filter((row): row is SearchRow & { slug: string } => row.slug !== null)
    .map((row) => ({
      slug: row.slug,
      originalLocale: row.original_locale,
      source: row.source,
      publishedAt: row.published_at.toISOString().slice(0, 10),
      paragraphCount: row.paragraph_count,
      translations: row.translations,
      tags: row.tags,
      noteCount: row.note_count,
      weekNoteCount: row.week_note_count,
      lastVisitedAt: row.last_visited_at?.toISOString() ?? null,
      continueAt: row.continue_key !== null && row.continue_position !== null ? { key: row.continue_key, position: row.continue_position } : null,
      group: row.group_id !== null ? { id: row.group_id, name: row.group_name ?? "" } : null,
    }));
  return { total, page, pageSize: SEARCH_PAGE_SIZE, items };
}

/**
 * The viewer's live groups that have published readings, for the search's group filter
 * (members only; the filter narrows what readableArticles already allows).
 */
export async function listReadingGroups(viewerId: string | null): Promise<{ id: string; name: string }[]> {
  if (!viewerId) return [];
  return getPrisma().group.findMany({
    where: { AND: [liveGroupsOf(viewerId).where, { readings: { some: { status: "published" } } }] },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: 200,
    select: { id: true, name: true },
  });
}

async function queryArticleTags(): Promise<string[]> {
  // Cached for everyone, so public articles' tags only: a group reading's tag is no one else's business.
  const rows = await getPrisma().$queryRaw<{ tag: string }[]>`
    SELECT DISTINCT unnest(a.tags) AS tag FROM article a WHERE ${readableArticles(null).sql} ORDER BY tag`;
  return rows.map((row) => row.tag);
}

/** Every tag in use, for the filter's choices. */
export const listArticleTags = unstable_cache(queryArticleTags, ["article-tags"], { tags: [articleTags.all], revalidate: 300 });

/** The database handle reads accept: the client, or the transaction a mutation runs in. */
type Db = Prisma.TransactionClient | ReturnType<typeof getPrisma>;

const isContentLocale = (locale: string): locale is ContentLocale => locale === "en" || locale === "ja";

/**
 * The live text of one article as a document (lib/content/article-document.ts): rows in reading
 * order with their keys, headings and texts. The one read of "the article as it is now" for the
 * export and for the editor's first draft of a published article. `where` carries the caller's
 * rule (readableArticles for the export, editableArticles for the editor).
 */
export async function readLiveDocument(db: Db, where: Prisma.ArticleWhereInput): Promise<ArticleDocument | null> {
  const row = await db.article.findFirst({
    where,
    select: {
      slug: true,
      originalLocale: true,
      source: true,
      sourceUrl: true,
      author: true,
      publishedAt: true,
      rightsNote: true,
      tags: true,
      translations: { select: { locale: true, title: true, summary: true, translator: true }, orderBy: { locale: "asc" } },
      paragraphs: {
        where: { position: { gt: 0 } },
        orderBy: { position: "asc" },
        select: { key: true, heading: true, texts: { select: { locale: true, text: true } } },
      },
    },
  });
  if (!row) return null;
  const translations: Partial<Record<ContentLocale, DocumentTranslation>> = {};
  for (const t of row.translations) {
    if (isContentLocale(t.locale)) {
      translations[t.locale] = { title: t.title, summary: t.summary, ...(t.translator !== null ? { translator: t.translator } : {}) };
    }
  }
  return {
    meta: {
      slug: row.slug,
      originalLocale: isContentLocale(row.originalLocale) ? row.originalLocale : "en",
      source: row.source,
      ...(row.sourceUrl !== null ? { sourceUrl: row.sourceUrl } : {}),
      ...(row.author !== null ? { author: row.author } : {}),
      publishedAt: row.publishedAt.toISOString().slice(0, 10),
      ...(row.rightsNote !== null ? { rightsNote: row.rightsNote } : {}),
      tags: row.tags,
      translations,
    },
    rows: row.paragraphs.map((p) => ({
      key: p.key,
      heading: p.heading,
      text: Object.fromEntries(p.texts.filter((t) => isContentLocale(t.locale)).map((t) => [t.locale, t.text])),
    })),
  };
}

/**
 * An article as its folder holds it (lib/content/article-files.ts), for the export. Not cached:
 * an export must match the database at that moment, and it is rare. Whoever may read the
 * article may export it (readableArticles: group readings for their members only).
 */
export async function getArticleFolderContent(slug: string, principal: Principal): Promise<ArticleFolderContent | null> {
  const document = await readLiveDocument(getPrisma(), { AND: [{ slug }, readableArticles(principal).where] });
  if (!document) return null;
  const { translations, ...meta } = document.meta;
  return {
    meta: {
      ...meta,
      translations: Object.fromEntries(
        Object.entries(translations).map(([locale, t]) => [locale, { summary: t.summary, ...(t.translator !== undefined ? { translator: t.translator } : {}) }]),
      ),
    },
    titles: Object.fromEntries(Object.entries(translations).map(([locale, t]) => [locale, t.title])),
    paragraphs: document.rows.map((row, index) => ({
      key: row.key!,
      position: index + 1,
      heading: row.heading,
      text: row.text as Record<string, string>,
    })),
  };
}
