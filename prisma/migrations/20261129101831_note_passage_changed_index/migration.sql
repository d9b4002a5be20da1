-- CreateIndex
CREATE INDEX "note_passage_changed_idx" ON "note"("article_id") WHERE (passage_changed_at IS NOT NULL);
