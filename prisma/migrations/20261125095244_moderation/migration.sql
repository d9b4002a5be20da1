-- CreateEnum
CREATE TYPE "NoteStatus" AS ENUM ('visible', 'pending', 'hidden');

-- CreateEnum
CREATE TYPE "FlagReason" AS ENUM ('spam', 'harassment', 'off_topic', 'misinformation', 'other');

-- CreateEnum
CREATE TYPE "ModerationAction" AS ENUM ('dismiss_flags', 'hide', 'restore', 'delete', 'purge', 'approve', 'lock', 'unlock', 'suspend', 'unsuspend', 'role_change');

-- AlterEnum
ALTER TYPE "NotificationKind" ADD VALUE 'moderation';

-- AlterTable
ALTER TABLE "group" ADD COLUMN     "pre_moderation" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "note" ADD COLUMN     "deleted_by_id" TEXT,
ADD COLUMN     "locked_at" TIMESTAMPTZ(3),
ADD COLUMN     "purged_at" TIMESTAMPTZ(3),
ADD COLUMN     "status" "NoteStatus" NOT NULL DEFAULT 'visible';

-- AlterTable
ALTER TABLE "notification" ADD COLUMN     "moderation_log_id" UUID;

-- CreateTable
CREATE TABLE "note_flag" (
    "id" UUID NOT NULL,
    "note_id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "reason" "FlagReason" NOT NULL,
    "details" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "note_flag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "moderation_log" (
    "id" UUID NOT NULL,
    "actor_id" TEXT NOT NULL,
    "action" "ModerationAction" NOT NULL,
    "note_id" UUID,
    "target_user_id" TEXT,
    "group_id" UUID,
    "old_status" VARCHAR(40),
    "new_status" VARCHAR(40),
    "public_reason" VARCHAR(1000) NOT NULL DEFAULT '',
    "internal_note" VARCHAR(2000) NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "moderation_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_suspension" (
    "id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "reason" VARCHAR(1000) NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ends_at" TIMESTAMPTZ(3),
    "lifted_at" TIMESTAMPTZ(3),

    CONSTRAINT "user_suspension_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "note_flag_resolved_at_note_id_idx" ON "note_flag"("resolved_at", "note_id");

-- CreateIndex
CREATE UNIQUE INDEX "note_flag_note_id_user_id_key" ON "note_flag"("note_id", "user_id");

-- CreateIndex
CREATE INDEX "moderation_log_created_at_idx" ON "moderation_log"("created_at");

-- CreateIndex
CREATE INDEX "moderation_log_group_id_created_at_idx" ON "moderation_log"("group_id", "created_at");

-- CreateIndex
CREATE INDEX "user_suspension_user_id_lifted_at_idx" ON "user_suspension"("user_id", "lifted_at");

-- AddForeignKey
ALTER TABLE "notification" ADD CONSTRAINT "notification_moderation_log_id_fkey" FOREIGN KEY ("moderation_log_id") REFERENCES "moderation_log"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note_flag" ADD CONSTRAINT "note_flag_note_id_fkey" FOREIGN KEY ("note_id") REFERENCES "note"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note_flag" ADD CONSTRAINT "note_flag_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "moderation_log" ADD CONSTRAINT "moderation_log_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "moderation_log" ADD CONSTRAINT "moderation_log_target_user_id_fkey" FOREIGN KEY ("target_user_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "moderation_log" ADD CONSTRAINT "moderation_log_note_id_fkey" FOREIGN KEY ("note_id") REFERENCES "note"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_suspension" ADD CONSTRAINT "user_suspension_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_suspension" ADD CONSTRAINT "user_suspension_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The moderation log is append-only, enforced by the database and not only by the code: any
-- UPDATE, DELETE or TRUNCATE fails, whoever runs it.
CREATE FUNCTION moderation_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'moderation_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER moderation_log_no_update_delete
  BEFORE UPDATE OR DELETE ON "moderation_log"
  FOR EACH ROW EXECUTE FUNCTION moderation_log_append_only();

CREATE TRIGGER moderation_log_no_truncate
  BEFORE TRUNCATE ON "moderation_log"
  FOR EACH STATEMENT EXECUTE FUNCTION moderation_log_append_only();
