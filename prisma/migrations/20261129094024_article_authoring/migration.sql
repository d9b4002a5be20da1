-- CreateEnum
CREATE TYPE "ArticleStatus" AS ENUM ('draft', 'published', 'unpublished');

-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'editor';

-- AlterTable
ALTER TABLE "article" ADD COLUMN     "author" VARCHAR(200),
ADD COLUMN     "created_by_id" TEXT,
ADD COLUMN     "first_published_at" TIMESTAMPTZ(3),
ADD COLUMN     "group_id" UUID,
ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "rights_note" VARCHAR(500),
ADD COLUMN     "status" "ArticleStatus" NOT NULL DEFAULT 'published';

-- AlterTable
ALTER TABLE "article_visit" ADD COLUMN     "paragraph_key" VARCHAR(32);

-- AlterTable
ALTER TABLE "note" ADD COLUMN     "article_revision" INTEGER,
ADD COLUMN     "passage_changed_at" TIMESTAMPTZ(3),
ADD COLUMN     "passage_changed_in" INTEGER;

-- AlterTable
ALTER TABLE "paragraph" ADD COLUMN     "heading" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "removed_in_revision" INTEGER;

-- CreateTable
CREATE TABLE "article_draft" (
    "article_id" UUID NOT NULL,
    "document" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_by_id" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "article_draft_pkey" PRIMARY KEY ("article_id")
);

-- CreateTable
CREATE TABLE "article_revision" (
    "id" UUID NOT NULL,
    "article_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "author_id" TEXT,
    "summary" VARCHAR(300) NOT NULL DEFAULT '',
    "snapshot" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "article_revision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "article_revision_article_id_number_key" ON "article_revision"("article_id", "number");

-- CreateIndex
CREATE INDEX "article_status_group_id_idx" ON "article"("status", "group_id");

-- AddForeignKey
ALTER TABLE "article" ADD CONSTRAINT "article_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "group"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "article" ADD CONSTRAINT "article_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "article_draft" ADD CONSTRAINT "article_draft_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "article_draft" ADD CONSTRAINT "article_draft_updated_by_id_fkey" FOREIGN KEY ("updated_by_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "article_revision" ADD CONSTRAINT "article_revision_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "article_revision" ADD CONSTRAINT "article_revision_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Revisions are the article's history: append-only, enforced by the database. Only the author
-- link may change (SET NULL when an account is erased); the text, number and summary never do.
CREATE FUNCTION article_revision_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.article_id = OLD.article_id AND NEW.number = OLD.number
     AND NEW.summary = OLD.summary AND NEW.snapshot = OLD.snapshot AND NEW.created_at = OLD.created_at THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM article WHERE id = OLD.article_id) THEN
    -- The article row itself is gone (a test database being emptied): its history goes with it.
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'article_revision is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER article_revision_no_rewrite
  BEFORE UPDATE OR DELETE ON "article_revision"
  FOR EACH ROW EXECUTE FUNCTION article_revision_append_only();

