-- CreateIndex
CREATE INDEX "note_not_public_idx" ON "note"("article_id", "paragraph_id") WHERE (visibility <> 'public' OR status <> 'visible');

-- CreateIndex
CREATE INDEX "note_article_id_created_at_idx" ON "note"("article_id", "created_at");
