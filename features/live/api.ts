import "server-only";
import { findArticleIdBySlug, getVisibleNote } from "@/features/notes/data";
import { defineEndpoint } from "@/lib/http/endpoint";
import { fail } from "@/lib/http/responses";
import { translatorFor } from "@/lib/i18n/translator";
import { getNoteChangesSince, getNoteIfAudience, isLiveGroupMember } from "./data";
import type { LiveNoteMessage } from "./types";
import { getLiveListener, type LiveListener, type NoteEvent } from "@/lib/live/listener";
import { sseStreamsOpen } from "@/lib/metrics/metrics.mjs";

// GET /api/articles/{slug}/events — Server-Sent Events for one article (ADR 0010). Every event
// from the process's LISTEN connection is re-checked against this subscriber's permissions
// before anything is written: the payload from Postgres carries ids only.

export const LIVE_RETRY_MS = 3_000;
export const LIVE_HEARTBEAT_MS = 20_000;
/** Open streams per signed-in user, per process. */
export const LIVE_MAX_STREAMS = Math.max(1, Number(process.env.TAIYAKU_LIVE_MAX_STREAMS ?? 10) || 10);
/** Signed-out readers are counted per client address, which a household or an office NAT shares. */
export const LIVE_MAX_ANONYMOUS_STREAMS = LIVE_MAX_STREAMS * 5;
/**
 * Streams end after this long; the browser reconnects at once (with Last-Event-ID, so nothing is
 * lost) and the viewer is authenticated again: a signed-out or expired session stops receiving
 * that user's private and group notes within this time.
 */
export const LIVE_MAX_STREAM_MS = 15 * 60_000;
/** A reconnecting client older than this is told to reload instead of replaying changes. */
const CATCH_UP_WINDOW_MS = 10 * 60_000;
const CATCH_UP_LIMIT = 200;
/** Clock skew between app instances (updated_at comes from the writer's clock). */
const CATCH_UP_MARGIN_MS = 2_000;

const openStreams = new Map<string, number>();

/**
 * The retry hint of a stream's last message when this process shuts down: reconnect almost at
 * once — through the proxy that is another instance — and replay by Last-Event-ID (ADR 0023).
 */
export const LIVE_SHUTDOWN_RETRY_MS = 200;
// The production server emits `taiyaku:shutdown` on SIGTERM (scripts/lib/next-server.mjs).
const onShutdown = new Set<() => void>();
let shuttingDown = false;
process.on("taiyaku:shutdown", () => {
  shuttingDown = true;
  for (const hook of [...onShutdown]) hook();
});

// Subscribers of the same viewer share one permission check per event: 50 anonymous readers of
// an article cost one query per event, not 50. Keyed by the event object the listener dispatched.
const checks = new WeakMap<NoteEvent, Map<string, Promise<LiveNoteMessage | null>>>();

function resolveForViewer(event: NoteEvent, viewerId: string | null): Promise<LiveNoteMessage | null> {
  let perViewer = checks.get(event);
  if (!perViewer) checks.set(event, (perViewer = new Map()));
  const key = viewerId ?? "";
  let result = perViewer.get(key);
  if (!result) {
    result = checkEvent(event, viewerId).catch(() => null);
    perViewer.set(key, result);
  }
  return result;
}

async function checkEvent(event: NoteEvent, viewerId: string | null): Promise<LiveNoteMessage | null> {
  if (event.op === "deleted" || event.op === "hidden") {
    const before = await getNoteIfAudience(event.id, viewerId);
    if (!before) return null;
    // A hidden note stays visible to its author, marked: for them it is an update (a moderator's,
    // so their open thread shows the mark at once).
    if (event.op === "hidden" && viewerId !== null && before.authorId === viewerId) {
      const note = await getVisibleNote(event.id, viewerId);
      if (note) return { id: note.id, op: "updated", paragraphId: note.paragraphId, paragraphKey: note.paragraphKey, authorId: note.author.id, note };
    }
    return { id: event.id, op: event.op, paragraphId: before.paragraphId, paragraphKey: before.paragraphKey, authorId: before.authorId };
  }
  const note = await getVisibleNote(event.id, viewerId);
  if (!note) return null;
  return { id: note.id, op: event.op, paragraphId: note.paragraphId, paragraphKey: note.paragraphKey, authorId: note.author.id, note };
}

export type LiveStreamOptions = { listener?: LiveListener; heartbeatMs?: number; maxStreamMs?: number };

/** The events endpoint; tests pass their own listener and timings. */
export function articleEventsEndpoint(options: LiveStreamOptions = {}) {
  return defineEndpoint({ summary: "Server-Sent Events: the notes written, edited and removed on an article while the stream is open, as the caller may see them.", messages: "Live", auth: "optional", params: { slug: "slug" }, produces: ["text/event-stream"] }, ({ request, params, viewer, t, address }) =>
    openStream(request, params.slug, viewer?.id ?? null, t, address, options),
  );
}

/** GET /api/articles/{slug}/events */
export const openArticleEvents = articleEventsEndpoint();

async function openStream(
  request: Request,
  slug: string,
  viewerId: string | null,
  t: ReturnType<typeof translatorFor<"Live">>,
  address: string,
  options: LiveStreamOptions,
): Promise<Response> {
  // A group reading's stream is its members' (ADR 0019): anyone else gets the same 404 as for no article.
  const articleId = await findArticleIdBySlug(slug, viewerId);
  if (!articleId) return fail("not_found", t("errors.notFound"));

  const capKey = viewerId ? `user:${viewerId}` : `addr:${address}`;
  const open = openStreams.get(capKey) ?? 0;
  if (open >= (viewerId ? LIVE_MAX_STREAMS : LIVE_MAX_ANONYMOUS_STREAMS)) {
    const seconds = 30;
    return fail("rate_limited", t("errors.tooManyStreams", { seconds }), { retryAfterSeconds: seconds });
  }
  openStreams.set(capKey, open + 1);
  sseStreamsOpen().inc();

  const listener = options.listener ?? getLiveListener();
  const encoder = new TextEncoder();
  let closed = false;
  let chain: Promise<void> = Promise.resolve();
  let lastSeen = Date.now();
  const cleanups: (() => void)[] = [];
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | null = null;

  const write = (chunk: string) => {
    if (closed || !controllerRef) return;
    try {
      controllerRef.enqueue(encoder.encode(chunk));
    } catch {
      close();
    }
  };
  const send = (event: string, data: unknown, id?: number) =>
    write(`${id !== undefined ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  // Events are checked concurrently but written in arrival order.
  const enqueue = (task: () => Promise<void>) => {
    chain = chain.then(() => (closed ? undefined : task())).catch(() => undefined);
  };
  const deliver = (message: LiveNoteMessage | null) => {
    if (message) send("note", message, Date.now());
  };

  function close() {
    if (closed) return;
    closed = true;
    sseStreamsOpen().dec();
    for (const cleanup of cleanups.splice(0)) cleanup();
    const remaining = (openStreams.get(capKey) ?? 1) - 1;
    if (remaining > 0) openStreams.set(capKey, remaining);
    else openStreams.delete(capKey);
    try {
      controllerRef?.close();
    } catch {
      // Already closed by the client.
    }
  }

  // The process's LISTEN connection starts with its first stream (a freshly restarted instance:
  // the reconnecting streams of another). Until it listens, NOTIFYs pass unseen: "ready" and a
  // replay wait for it, so whatever commits later arrives as an event (ADR 0023).
  const listening = () => Promise.race([listener.start(), new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]);

  const catchUp = (since: number) => {
    enqueue(async () => {
      await listening();
      if (Date.now() - since > CATCH_UP_WINDOW_MS) return send("resync", {});
      const changes = await getNoteChangesSince(articleId, new Date(since - CATCH_UP_MARGIN_MS), CATCH_UP_LIMIT + 1);
      if (changes.length > CATCH_UP_LIMIT) return send("resync", {});
      for (const change of changes) deliver(await checkEvent({ id: change.id, articleId, op: change.op }, viewerId));
    });
  };

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controllerRef = controller;
      write(`retry: ${LIVE_RETRY_MS}\n: connected\n\n`);
      enqueue(async () => {
        await listening();
        send("ready", { viewer: viewerId !== null });
      });

      cleanups.push(
        listener.subscribeArticle(articleId, (event) => {
          lastSeen = Date.now();
          const pending = resolveForViewer(event, viewerId);
          enqueue(async () => deliver(await pending));
        }),
      );
      if (viewerId) {
        cleanups.push(
          listener.subscribeMembership((event) => {
            if (event.userId !== null && event.userId !== viewerId) return;
            enqueue(async () => {
              if (!(await isLiveGroupMember(event.groupId, viewerId))) send("revoked", { groupId: event.groupId });
            });
          }),
        );
      }
      // The LISTEN connection came back: replay what this stream may have missed meanwhile.
      cleanups.push(listener.onResync(() => catchUp(lastSeen)));

      const heartbeat = setInterval(() => write(`: ping\n\n`), options.heartbeatMs ?? LIVE_HEARTBEAT_MS);
      cleanups.push(() => clearInterval(heartbeat));
      const lifetime = setTimeout(() => enqueue(async () => close()), options.maxStreamMs ?? LIVE_MAX_STREAM_MS);
      cleanups.push(() => clearTimeout(lifetime));

      // Shutting down: what is being checked is still written, then the stream ends with a short
      // retry hint. A stream opened during the shutdown ends at once the same way.
      const reconnectElsewhere = () => {
        write(`retry: ${LIVE_SHUTDOWN_RETRY_MS}\n: reconnect\n\n`);
        enqueue(async () => close());
        setTimeout(close, 1_000).unref();
      };
      if (shuttingDown) return reconnectElsewhere();
      onShutdown.add(reconnectElsewhere);
      cleanups.push(() => onShutdown.delete(reconnectElsewhere));

      const onAbort = () => close();
      if (request.signal.aborted) close();
      else {
        request.signal.addEventListener("abort", onAbort, { once: true });
        cleanups.push(() => request.signal.removeEventListener("abort", onAbort));
      }

      // A reconnecting EventSource sends Last-Event-ID (our ids are server times in ms); a client
      // reconnecting by itself passes ?since=. Replay the article's changes since then.
      const since = Number(request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("since") ?? NaN);
      if (Number.isFinite(since) && since > 0) catchUp(Math.min(since, Date.now()));
    },
    cancel() {
      close();
    },
  });

  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform keeps Next's gzip (and proxies) from buffering the stream.
      "cache-control": "no-cache, no-store, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
