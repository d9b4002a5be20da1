-- DropIndex
DROP INDEX "article_translation_summary_trgm_idx";

-- DropIndex
DROP INDEX "article_translation_title_trgm_idx";

-- CreateTable
CREATE TABLE "article_search" (
    "article_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "tsv" tsvector NOT NULL,
    "title_tsv" tsvector NOT NULL,
    "summary_tsv" tsvector NOT NULL,
    "words" TEXT[],
    "grams" TEXT[],

    CONSTRAINT "article_search_pkey" PRIMARY KEY ("article_id")
);

-- CreateTable
CREATE TABLE "search_word" (
    "word" TEXT NOT NULL,

    CONSTRAINT "search_word_pkey" PRIMARY KEY ("word")
);

-- CreateIndex
CREATE INDEX "article_search_title_trgm_idx" ON "article_search" USING GIN ("title" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "article_search_summary_trgm_idx" ON "article_search" USING GIN ("summary" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "article_search_tsv_idx" ON "article_search" USING GIN ("tsv");

-- CreateIndex
CREATE INDEX "article_search_grams_idx" ON "article_search" USING GIN ("grams");

-- CreateIndex
CREATE INDEX "article_search_words_idx" ON "article_search" USING GIN ("words");

-- CreateIndex
CREATE INDEX "search_word_word_trgm_idx" ON "search_word" USING GIN ("word" gin_trgm_ops);

-- AddForeignKey
ALTER TABLE "article_search" ADD CONSTRAINT "article_search_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Kept by hand (the drift check ignores expression indexes and functions): English stemming is
-- served by article_search.tsv now (ADR 0021), so the per-paragraph full-text index goes.
DROP INDEX IF EXISTS "paragraph_text_en_fts_idx";

-- The one writer of article_search (ADR 0021): rebuilds the rows of the given articles from their
-- translations and live paragraphs (position > 0). applyDocument calls it once per publish, in
-- the publish's transaction; bulk loaders call it once with all their ids. Titles and summaries
-- are stored lowercased, so the search matches them with LIKE on lower(q) (what ILIKE does,
-- without lowercasing every stored text on every query); lines separate the languages, so no
-- match spans two of them.
CREATE FUNCTION refresh_article_search(targets uuid[]) RETURNS void LANGUAGE sql AS $fn$
  INSERT INTO article_search (article_id, title, summary, tsv, title_tsv, summary_tsv, words, grams)
  SELECT a.id, coalesce(tr.title, ''), coalesce(tr.summary, ''),
    setweight(to_tsvector('english', coalesce(tr.title_en, '')), 'A')
      || setweight(to_tsvector('english', coalesce(tr.summary_en, '')), 'B')
      || setweight(to_tsvector('english', coalesce(b.body_en, '')), 'D'),
    to_tsvector('english', coalesce(tr.title_en, '')),
    to_tsvector('english', coalesce(tr.summary_en, '')),
    coalesce((SELECT array_agg(DISTINCT w) FROM regexp_split_to_table(concat_ws(E'\n', tr.title, tr.summary, b.body), '[^[:alnum:]]+') AS w
      WHERE w ~ '[a-z0-9]'), '{}'),
    -- Every 1- and 2-character substring, once. The characters come from one split and a window
    -- over them: substr(text, i, 2) would walk the UTF-8 text from its start on every call.
    coalesce((SELECT array_agg(DISTINCT g) FROM (
      SELECT unnest(ARRAY[ch, ch || lead(ch, 1, '') OVER (ORDER BY i)]) AS g
      FROM unnest(regexp_split_to_array(concat_ws(E'\n', tr.title, tr.summary, b.body), '')) WITH ORDINALITY AS u(ch, i)
    ) x WHERE strpos(g, E'\n') = 0), '{}')
  FROM article a
  CROSS JOIN LATERAL (
    SELECT string_agg(lower(t.title), E'\n' ORDER BY t.locale) AS title,
           string_agg(lower(t.summary), E'\n' ORDER BY t.locale) AS summary,
           max(t.title) FILTER (WHERE t.locale = 'en') AS title_en,
           max(t.summary) FILTER (WHERE t.locale = 'en') AS summary_en
    FROM article_translation t WHERE t.article_id = a.id
  ) tr
  CROSS JOIN LATERAL (
    SELECT string_agg(lower(pt.text), E'\n' ORDER BY p.position, pt.locale) AS body,
           string_agg(pt.text, E'\n' ORDER BY p.position) FILTER (WHERE pt.locale = 'en') AS body_en
    FROM paragraph p JOIN paragraph_text pt ON pt.paragraph_id = p.id
    WHERE p.article_id = a.id AND p.position > 0
  ) b
  WHERE a.id = ANY (targets)
  ON CONFLICT (article_id) DO UPDATE
    SET title = EXCLUDED.title, summary = EXCLUDED.summary, tsv = EXCLUDED.tsv, title_tsv = EXCLUDED.title_tsv,
      summary_tsv = EXCLUDED.summary_tsv, words = EXCLUDED.words, grams = EXCLUDED.grams;

  INSERT INTO search_word (word)
  SELECT DISTINCT unnest(s.words) FROM article_search s WHERE s.article_id = ANY (targets)
  ON CONFLICT (word) DO NOTHING;
$fn$;

-- Backfill: every existing article.
SELECT refresh_article_search(array_agg(id)) FROM article;
