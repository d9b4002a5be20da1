-- Live updates (ADR 0010): the database announces committed changes with NOTIFY, so every app
-- instance hears every write whichever instance (or script) made it. Payloads carry ids only;
-- each subscriber re-reads the note through the visibility rule before anything is sent.
-- NOTIFY is transactional: listeners hear it only after COMMIT, and never after a ROLLBACK.

CREATE OR REPLACE FUNCTION taiyaku_notify_note_event() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  event_op text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    event_op := 'created';
  ELSIF NEW IS NOT DISTINCT FROM OLD THEN
    RETURN NULL;
  ELSIF OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN
    event_op := 'deleted';
  ELSE
    event_op := 'updated';
  END IF;
  PERFORM pg_notify('note_events', json_build_object('id', NEW.id, 'articleId', NEW.article_id, 'op', event_op)::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER note_live_events
  AFTER INSERT OR UPDATE ON "note"
  FOR EACH ROW EXECUTE FUNCTION taiyaku_notify_note_event();

-- Membership losses: open streams of that user re-check their access at once. userId is null
-- when a whole group goes (every member re-checks).
CREATE OR REPLACE FUNCTION taiyaku_notify_membership_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'group' THEN
    PERFORM pg_notify('membership_events', json_build_object('groupId', NEW.id, 'userId', NULL)::text);
  ELSIF TG_OP = 'DELETE' OR NEW IS DISTINCT FROM OLD THEN
    PERFORM pg_notify('membership_events', json_build_object('groupId', OLD.group_id, 'userId', OLD.user_id)::text);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER group_member_live_events
  AFTER UPDATE OR DELETE ON "group_member"
  FOR EACH ROW EXECUTE FUNCTION taiyaku_notify_membership_event();

CREATE TRIGGER group_live_events
  AFTER UPDATE OF deleted_at ON "group"
  FOR EACH ROW
  WHEN (OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL)
  EXECUTE FUNCTION taiyaku_notify_membership_event();
