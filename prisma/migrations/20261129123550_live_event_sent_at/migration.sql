-- Note events carry the time their NOTIFY was issued ("at", ms since the epoch), so each app
-- instance can measure how late events reach it (taiyaku_listener_lag_seconds, ADR 0024).
-- Listeners ignore keys they do not know; the rest of the payload is unchanged.
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
  PERFORM pg_notify('note_events', json_build_object(
    'id', NEW.id, 'articleId', NEW.article_id, 'op', event_op,
    'at', floor(extract(epoch FROM clock_timestamp()) * 1000)
  )::text);
  RETURN NULL;
END;
$$;
