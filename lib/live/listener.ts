import "server-only";
import pg from "pg";
import { directDatabaseUrl } from "@/lib/db/database-url";
import { listenerLag, listenerReconnects } from "@/lib/metrics/metrics.mjs";

// One LISTEN connection per app process (ADR 0010). Postgres NOTIFY is the bus between
// instances: a write committed anywhere reaches every process's listener, which fans it out to
// the streams open in that process, keyed by article. Payloads are ids only; subscribers
// re-check visibility before sending anything to a browser.

export type NoteEventOp = "created" | "updated" | "deleted" | "hidden";
export type NoteEvent = { id: string; articleId: string; op: NoteEventOp };
export type MembershipEvent = { groupId: string; userId: string | null };

type NoteHandler = (event: NoteEvent) => void;
type MembershipHandler = (event: MembershipEvent) => void;
/** Called after a reconnect: events may have been missed while the connection was down. */
type ResyncHandler = () => void;

export const NOTE_CHANNEL = "note_events";
export const MEMBERSHIP_CHANNEL = "membership_events";

const ops = new Set<NoteEventOp>(["created", "updated", "deleted", "hidden"]);

export function parseNoteEvent(payload: string | undefined): NoteEvent | null {
  try {
    const value = JSON.parse(payload ?? "") as Partial<NoteEvent>;
    if (typeof value.id !== "string" || typeof value.articleId !== "string" || !ops.has(value.op as NoteEventOp)) return null;
    return { id: value.id, articleId: value.articleId, op: value.op as NoteEventOp };
  } catch {
    return null;
  }
}

export function parseMembershipEvent(payload: string | undefined): MembershipEvent | null {
  try {
    const value = JSON.parse(payload ?? "") as Partial<MembershipEvent>;
    if (typeof value.groupId !== "string") return null;
    return { groupId: value.groupId, userId: typeof value.userId === "string" ? value.userId : null };
  } catch {
    return null;
  }
}

export type LiveListenerOptions = {
  /** First reconnect delay; doubles per failure up to maxDelayMs, with full jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A `SELECT 1` on the LISTEN connection this often notices a silently dead socket. */
  pingIntervalMs?: number;
  log?: (message: string) => void;
};

export class LiveListener {
  private client: pg.Client | null = null;
  private readonly byArticle = new Map<string, Set<NoteHandler>>();
  private readonly membership = new Set<MembershipHandler>();
  private readonly resync = new Set<ResyncHandler>();
  private attempt = 0;
  private stopped = false;
  private connecting: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private everConnected = false;
  private readyResolve!: () => void;
  /** Resolves once LISTEN is active for the first time. */
  readonly ready: Promise<void>;
  private readonly opts: Required<Omit<LiveListenerOptions, "log">> & { log: (message: string) => void };

  constructor(
    private readonly databaseUrl: string,
    options: LiveListenerOptions = {},
  ) {
    this.opts = {
      baseDelayMs: options.baseDelayMs ?? 250,
      maxDelayMs: options.maxDelayMs ?? 10_000,
      pingIntervalMs: options.pingIntervalMs ?? 30_000,
      log: options.log ?? ((message) => console.warn(`[live] ${message}`)),
    };
    this.ready = new Promise((resolve) => (this.readyResolve = resolve));
  }

  get connected(): boolean {
    return this.client !== null;
  }

  get subscriberCount(): number {
    let n = 0;
    for (const set of this.byArticle.values()) n += set.size;
    return n;
  }

  start(): Promise<void> {
    if (!this.connecting && !this.client && !this.stopped && !this.retryTimer) this.connecting = this.connect();
    return this.ready;
  }

  subscribeArticle(articleId: string, handler: NoteHandler): () => void {
    void this.start();
    let set = this.byArticle.get(articleId);
    if (!set) this.byArticle.set(articleId, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0 && this.byArticle.get(articleId) === set) this.byArticle.delete(articleId);
    };
  }

  subscribeMembership(handler: MembershipHandler): () => void {
    this.membership.add(handler);
    return () => this.membership.delete(handler);
  }

  onResync(handler: ResyncHandler): () => void {
    this.resync.add(handler);
    return () => this.resync.delete(handler);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.retryTimer = this.pingTimer = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 5_000, keepAlive: true });
    let failed = false;
    const onFailure = (error: unknown) => {
      if (failed) return;
      failed = true;
      if (this.client === client) this.client = null;
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      client.removeAllListeners("notification");
      void client.end().catch(() => undefined);
      if (!this.stopped) {
        this.opts.log(`LISTEN connection lost (${error instanceof Error ? error.message : String(error)}); reconnecting`);
        this.scheduleReconnect();
      }
    };
    client.on("error", onFailure);
    client.on("end", () => onFailure(new Error("connection ended")));
    client.on("notification", (message) => this.dispatch(message.channel, message.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTE_CHANNEL}`);
      await client.query(`LISTEN ${MEMBERSHIP_CHANNEL}`);
    } catch (error) {
      onFailure(error);
      this.connecting = null;
      return;
    }
    this.connecting = null;
    if (this.stopped || failed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.attempt = 0;
    this.pingTimer = setInterval(() => {
      client.query("SELECT 1").catch(onFailure);
    }, this.opts.pingIntervalMs);
    this.pingTimer.unref();
    if (this.everConnected) {
      listenerReconnects().inc({ listener: "live" });
      for (const handler of this.resync) safely(handler);
    }
    this.everConnected = true;
    this.readyResolve();
  }

  private scheduleReconnect() {
    if (this.retryTimer || this.stopped) return;
    const ceiling = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** this.attempt);
    this.attempt += 1;
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connecting = this.connect();
    }, delay);
    this.retryTimer.unref();
  }

  private dispatch(channel: string, payload: string | undefined) {
    if (channel === NOTE_CHANNEL) {
      const event = parseNoteEvent(payload);
      if (!event) return;
      observeLag(payload!);
      for (const handler of [...(this.byArticle.get(event.articleId) ?? [])]) safely(() => handler(event));
    } else if (channel === MEMBERSHIP_CHANNEL) {
      const event = parseMembershipEvent(payload);
      if (!event) return;
      for (const handler of [...this.membership]) safely(() => handler(event));
    }
  }
}

/**
 * NOTIFY to delivery: the note trigger stamps its payload with "at" (ms, the database's clock;
 * migration live_event_sent_at). Read with a pattern rather than a second JSON parse, and
 * clamped at 0 when the app's clock runs behind the database's.
 */
function observeLag(payload: string) {
  const at = /"at"\s*:\s*(\d{10,16})/.exec(payload);
  if (at) listenerLag().observe({ listener: "live" }, Math.max(0, Date.now() - Number(at[1])) / 1000);
}

function safely(fn: () => void) {
  try {
    fn();
  } catch (error) {
    console.error("[live] subscriber failed", error);
  }
}

// One listener per process: Next.js may evaluate this module in several bundles (and again on
// reloads in development), so the instance lives on globalThis.
const globalForLive = globalThis as unknown as { taiyakuLiveListener?: LiveListener };

export function getLiveListener(): LiveListener {
  if (!globalForLive.taiyakuLiveListener) {
    // A direct connection: through a transaction-mode pooler, LISTEN would register on a server
    // connection that is handed to another client after the statement (ADR 0026).
    const url = directDatabaseUrl();
    if (!url) throw new Error("DATABASE_URL is not set; start the app with `npm start`.");
    const listener = (globalForLive.taiyakuLiveListener = new LiveListener(url));
    // The server is shutting down (scripts/lib/next-server.mjs, ADR 0023): the streams were told
    // to reconnect elsewhere; the LISTEN connection ends instead of being cut at exit.
    process.once("taiyaku:shutdown", () => void listener.stop());
  }
  return globalForLive.taiyakuLiveListener;
}
