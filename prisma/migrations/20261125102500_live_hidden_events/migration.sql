-- Moderation (hide, pre-moderation) changes a note's status: a note that stops being visible is
-- announced as 'hidden', so open readers who had it drop it (the stream sends them a tombstone).
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
  ELSIF OLD.status = 'visible' AND NEW.status <> 'visible' THEN
    event_op := 'hidden';
  ELSE
    event_op := 'updated';
  END IF;
  PERFORM pg_notify('note_events', json_build_object('id', NEW.id, 'articleId', NEW.article_id, 'op', event_op)::text);
  RETURN NULL;
END;
$$;
