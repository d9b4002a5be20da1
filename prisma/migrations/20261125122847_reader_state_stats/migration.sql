-- CreateTable
CREATE TABLE "paragraph_note_stats" (
    "paragraph_id" UUID NOT NULL,
    "article_id" UUID NOT NULL,
    "public_count" INTEGER NOT NULL DEFAULT 0,
    "open_questions" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "paragraph_note_stats_pkey" PRIMARY KEY ("paragraph_id")
);

-- CreateIndex
CREATE INDEX "paragraph_note_stats_article_id_idx" ON "paragraph_note_stats"("article_id");

-- AddForeignKey
ALTER TABLE "paragraph_note_stats" ADD CONSTRAINT "paragraph_note_stats_paragraph_id_fkey" FOREIGN KEY ("paragraph_id") REFERENCES "paragraph"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "paragraph_note_stats" ADD CONSTRAINT "paragraph_note_stats_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Kept by hand below (Prisma does not model triggers): every write to note moves its row's
-- contribution. A note counts when it is public, visible and not deleted; an open question when
-- it also is a root note tagged question without an answer. An update takes the old row's
-- contribution away and adds the new one's, so hides, restores, deletes and answers stay exact.
CREATE FUNCTION note_public_stats() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_count int := 0;
  old_open int := 0;
  new_count int := 0;
  new_open int := 0;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.visibility = 'public' AND OLD.status = 'visible' AND OLD.deleted_at IS NULL THEN
    old_count := 1;
    IF OLD.parent_id IS NULL AND OLD.tag = 'question' AND OLD.answered_by_id IS NULL THEN
      old_open := 1;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.visibility = 'public' AND NEW.status = 'visible' AND NEW.deleted_at IS NULL THEN
    new_count := 1;
    IF NEW.parent_id IS NULL AND NEW.tag = 'question' AND NEW.answered_by_id IS NULL THEN
      new_open := 1;
    END IF;
  END IF;
  -- Most updates (edits, locks) change nothing here: take no row lock for them.
  IF TG_OP = 'UPDATE' AND OLD.paragraph_id = NEW.paragraph_id AND old_count = new_count AND old_open = new_open THEN
    RETURN NULL;
  END IF;
  IF old_count <> 0 OR old_open <> 0 THEN
    UPDATE paragraph_note_stats
      SET public_count = public_count - old_count, open_questions = open_questions - old_open
      WHERE paragraph_id = OLD.paragraph_id;
  END IF;
  IF new_count <> 0 OR new_open <> 0 THEN
    INSERT INTO paragraph_note_stats (paragraph_id, article_id, public_count, open_questions)
      VALUES (NEW.paragraph_id, NEW.article_id, new_count, new_open)
      ON CONFLICT (paragraph_id) DO UPDATE
      SET public_count = paragraph_note_stats.public_count + EXCLUDED.public_count,
          open_questions = paragraph_note_stats.open_questions + EXCLUDED.open_questions;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER note_public_stats
  AFTER INSERT OR UPDATE OR DELETE ON note
  FOR EACH ROW EXECUTE FUNCTION note_public_stats();

-- The notes written before this migration.
INSERT INTO paragraph_note_stats (paragraph_id, article_id, public_count, open_questions)
SELECT paragraph_id, article_id, count(*)::int,
  (count(*) FILTER (WHERE parent_id IS NULL AND tag = 'question' AND answered_by_id IS NULL))::int
FROM note
WHERE visibility = 'public' AND status = 'visible' AND deleted_at IS NULL
GROUP BY paragraph_id, article_id;
