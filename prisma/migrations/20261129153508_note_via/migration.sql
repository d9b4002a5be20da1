-- AlterTable
ALTER TABLE "note" ADD COLUMN     "via" VARCHAR(2000);

-- CreateIndex
CREATE UNIQUE INDEX "note_author_id_via_key" ON "note"("author_id", "via");
