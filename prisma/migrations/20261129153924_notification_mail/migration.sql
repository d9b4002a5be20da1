-- CreateEnum
CREATE TYPE "MailFrequency" AS ENUM ('immediate', 'daily', 'weekly', 'never');

-- AlterTable
ALTER TABLE "notification" ADD COLUMN     "mailed_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "user" ADD COLUMN     "daily_digest_at" TIMESTAMPTZ(3),
ADD COLUMN     "mail_answers" "MailFrequency" NOT NULL DEFAULT 'daily',
ADD COLUMN     "mail_mentions" "MailFrequency" NOT NULL DEFAULT 'immediate',
ADD COLUMN     "mail_moderation" "MailFrequency" NOT NULL DEFAULT 'immediate',
ADD COLUMN     "mail_replies" "MailFrequency" NOT NULL DEFAULT 'daily',
ADD COLUMN     "weekly_digest_at" TIMESTAMPTZ(3);
