-- AlterTable
ALTER TABLE "article_visit" ADD COLUMN     "previous_visited_at" TIMESTAMPTZ(3);
