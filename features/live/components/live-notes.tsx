"use client";

import { useTranslations } from "next-intl";
import { useEffect, useEffectEvent, useState } from "react";
import { useNotes, type LiveNoteUpdate } from "@/features/notes/components/notes-context";
import type { LiveNoteMessage } from "../types";
import { createLiveFeed, type LiveFeedEmitter } from "./live-feed";
import "./live-notes.css";

// Live updates in the reader (ADR 0010). Margin counts change in place (they do not move the
// text); new notes wait behind a polite "N new notes" button, so nothing reflows under the
// reader's eyes. The open thread receives every update through the notes context's feed.

/** Manual reconnects (after the server refused or closed the stream): 1 s doubling to 60 s, full jitter. */
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;

export function useLiveFeed(): LiveFeedEmitter {
  const [feed] = useState(createLiveFeed);
  return feed;
}

type Pending = { id: string; paragraphId: string; paragraphKey: string };

export function LiveNotes({ feed }: { feed: LiveFeedEmitter }) {
  const t = useTranslations("Live");
  const notes = useNotes();
  const [pending, setPending] = useState<Pending[]>([]);
  const [stale, setStale] = useState(false);
  const [connected, setConnected] = useState(false);
  const viewerId = notes.viewer?.id ?? null;

  // A reconnect replays recent changes (with a margin): count each creation and removal once.
  const [seen] = useState(() => new Set<string>());

  const onNote = useEffectEvent((message: LiveNoteMessage) => {
    // The author's own tab already counted its creations and removals optimistically. Updates
    // replace a note by version, so applying one twice is harmless, and some are not the
    // author's own (a moderator hid or restored their note): those are applied.
    if (viewerId && message.authorId === viewerId && message.op !== "updated") return;
    if (message.op !== "updated") {
      const key = `${message.op}:${message.id}`;
      if (seen.has(key)) return;
      seen.add(key);
    }
    const update: LiveNoteUpdate = { op: message.op, id: message.id, paragraphId: message.paragraphId, paragraphKey: message.paragraphKey, note: message.note };
    if (message.op === "created") {
      notes.adjustCount(message.paragraphId, 1);
      // Shown at once in the open thread of its paragraph; highlights still wait for the button.
      const inOpenThread = notes.panel?.type === "paragraph" && notes.panel.key === message.paragraphKey;
      if (!inOpenThread || message.note?.quote) setPending((list) => (list.some((p) => p.id === message.id) ? list : [...list, { id: message.id, paragraphId: message.paragraphId, paragraphKey: message.paragraphKey }]));
    } else if (message.op === "deleted" || message.op === "hidden") {
      notes.adjustCount(message.paragraphId, -1);
      setPending((list) => list.filter((p) => p.id !== message.id));
    }
    feed.emit(update);
  });

  const onRevoked = useEffectEvent((groupId: string) => {
    feed.emit({ op: "revoked", groupId });
    notes.announce(t("revoked"));
    // The reader's counts and highlights drop the group's notes.
    void notes.reloadState();
  });

  const onResync = useEffectEvent(() => setStale(true));
  const onConnection = useEffectEvent((open: boolean) => setConnected(open));

  useEffect(() => {
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let lastEventId = "";
    let stopped = false;

    const connect = () => {
      const query = lastEventId ? `?since=${encodeURIComponent(lastEventId)}` : "";
      const es = new EventSource(`/api/articles/${encodeURIComponent(notes.slug)}/events${query}`);
      source = es;
      es.addEventListener("ready", () => {
        attempt = 0;
        onConnection(true);
      });
      es.addEventListener("note", (event) => {
        if (event.lastEventId) lastEventId = event.lastEventId;
        try {
          onNote(JSON.parse(event.data) as LiveNoteMessage);
        } catch {
          // A malformed event is dropped; the next refresh shows the truth.
        }
      });
      es.addEventListener("revoked", (event) => {
        try {
          onRevoked((JSON.parse(event.data) as { groupId: string }).groupId);
        } catch {
          // Ignored, as above.
        }
      });
      es.addEventListener("resync", () => onResync());
      es.onerror = () => {
        onConnection(false);
        // CONNECTING: the browser retries by itself (the server's retry: hint, Last-Event-ID).
        // CLOSED: it gave up (429, 404, a proxy error): back off and try again ourselves.
        if (es.readyState !== EventSource.CLOSED || stopped) return;
        es.close();
        const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
        attempt += 1;
        timer = setTimeout(connect, Math.random() * ceiling);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
    // One stream per article and reader; a different viewer means a different stream.
  }, [notes.slug, viewerId]);

  const apply = () => {
    const shown = pending;
    setPending([]);
    // The cached page lags behind: redraw the paragraphs that got notes, as this reader sees them.
    notes.refreshHighlights(shown.map((p) => p.paragraphId));
    if (!notes.panel && shown.length) {
      const keys = new Set(shown.map((p) => p.paragraphKey));
      const newest = shown[shown.length - 1]!;
      if (keys.size === 1) notes.openParagraph(newest.paragraphKey, { noteId: newest.id });
      else notes.openAll();
    }
    notes.announce(t("applied", { count: shown.length }));
  };

  const refresh = () => {
    setStale(false);
    setPending([]);
    void notes.reloadState();
  };

  return (
    <div className="live-notes" role="status" aria-live="polite" data-live={connected ? "connected" : "connecting"}>
      {pending.length > 0 ? (
        <button type="button" className="button live-notes-button" onClick={apply} title={t("newNotesHint")}>
          {t("newNotes", { count: pending.length })}
        </button>
      ) : stale ? (
        <button type="button" className="button-secondary live-notes-button" onClick={refresh}>
          {t("updatesAvailable")}
        </button>
      ) : null}
    </div>
  );
}
