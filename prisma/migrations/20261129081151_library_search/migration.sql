-- Library search (features/articles/data.ts searchArticles). pg_trgm ships with PostgreSQL (contrib):
-- trigram indexes match Japanese words, which have no spaces between them, and English substrings.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- AlterTable
ALTER TABLE "article" ADD COLUMN     "tags" VARCHAR(40)[] DEFAULT ARRAY[]::VARCHAR(40)[];

-- CreateIndex
CREATE INDEX "article_tags_idx" ON "article" USING GIN ("tags");

-- CreateIndex
CREATE INDEX "article_translation_title_trgm_idx" ON "article_translation" USING GIN ("title" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "article_translation_summary_trgm_idx" ON "article_translation" USING GIN ("summary" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "paragraph_text_text_trgm_idx" ON "paragraph_text" USING GIN ("text" gin_trgm_ops);

-- Kept by hand (Prisma cannot model expression indexes; the drift check ignores them): English
-- stemming ("exports" finds "export") through full-text search on the English text.
CREATE INDEX "paragraph_text_en_fts_idx" ON "paragraph_text" USING GIN (to_tsvector('english', "text")) WHERE locale = 'en';
