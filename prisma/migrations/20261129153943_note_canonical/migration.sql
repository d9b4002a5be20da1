-- AlterTable
ALTER TABLE "note" ADD COLUMN     "canonical" VARCHAR(2000);
