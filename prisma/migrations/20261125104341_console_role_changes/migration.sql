-- AlterTable
ALTER TABLE "moderation_log" ALTER COLUMN "actor_id" DROP NOT NULL;
