export type TagManifestEntry = { stale?: number; expired?: number };
export type TagManifest = Map<string, TagManifestEntry>;
export type Durations = { expire?: number } | undefined;
export type CacheTagsState = { connected: boolean; lastSyncAt: number };

export declare const CHANNEL: "cache_tags";
export declare const MAX_PAYLOAD_BYTES: number;
export declare const MAX_TAG_LENGTH: number;
export declare const nextTagsManifest: TagManifest;
export declare const cacheTagsState: CacheTagsState;

export declare function applyInvalidation(manifest: TagManifest, tags: string[], durations: Durations, now: number): void;
export declare function chunkTags(tags: string[], maxBytes?: number): string[][];
export declare function parsePayload(
  text: string | undefined,
): { tags: string[]; durations: Durations; sender: string; sentAt: number | null; at: number | null } | null;

export type SharedCacheTagsOptions = {
  databaseUrl: string;
  listenUrl?: string;
  manifest?: TagManifest;
  instanceId?: string;
  pollIntervalMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  pingIntervalMs?: number;
  state?: CacheTagsState;
  log?: (message: string) => void;
};

export declare class SharedCacheTags {
  constructor(options: SharedCacheTagsOptions);
  readonly instanceId: string;
  readonly state: CacheTagsState;
  start(): void;
  whenSynced(timeoutMs: number): Promise<boolean>;
  publish(tags: string | string[], durations: Durations): Promise<void>;
  stop(options?: { keepPublishing?: boolean }): Promise<void>;
}

export declare function getSharedCacheTags(env?: NodeJS.ProcessEnv): SharedCacheTags | null;
