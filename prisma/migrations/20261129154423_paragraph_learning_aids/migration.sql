-- AlterTable
ALTER TABLE "paragraph_text" ADD COLUMN     "furigana" JSONB,
ADD COLUMN     "learning_hash" CHAR(64),
ADD COLUMN     "sentences" JSONB;
