-- CreateIndex
CREATE INDEX "notification_unmailed_created_at" ON "notification"("created_at") WHERE (mailed_at IS NULL AND read_at IS NULL);
