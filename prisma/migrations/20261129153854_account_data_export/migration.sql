-- CreateEnum
CREATE TYPE "DataExportStatus" AS ENUM ('pending', 'ready', 'failed');

-- AlterTable
ALTER TABLE "user" ADD COLUMN     "deleted_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "data_export" (
    "id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "status" "DataExportStatus" NOT NULL DEFAULT 'pending',
    "locale" VARCHAR(16) NOT NULL,
    "archive" BYTEA,
    "byte_size" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ready_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "data_export_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "data_export_user_id_created_at_idx" ON "data_export"("user_id", "created_at");

-- AddForeignKey
ALTER TABLE "data_export" ADD CONSTRAINT "data_export_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Account deletion (ADR 0036): the moderation log stays append-only, with one narrow exception.
-- Inside the transaction that erases an account (which sets taiyaku.erasing_user to its id), a
-- row may swap that account for its anonymous placeholder and have the account's name and
-- address redacted from its reasons. The action, note, group, statuses and time never change,
-- and DELETE and TRUNCATE stay refused for everyone.
CREATE OR REPLACE FUNCTION moderation_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  erasing text := coalesce(current_setting('taiyaku.erasing_user', true), '');
BEGIN
  IF TG_OP = 'UPDATE' AND erasing <> ''
     AND NEW.id = OLD.id AND NEW.action = OLD.action
     AND NEW.note_id IS NOT DISTINCT FROM OLD.note_id AND NEW.group_id IS NOT DISTINCT FROM OLD.group_id
     AND NEW.old_status IS NOT DISTINCT FROM OLD.old_status AND NEW.new_status IS NOT DISTINCT FROM OLD.new_status
     AND NEW.created_at = OLD.created_at
     AND (NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id OR OLD.actor_id = erasing)
     AND (NEW.target_user_id IS NOT DISTINCT FROM OLD.target_user_id OR OLD.target_user_id = erasing) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'moderation_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
