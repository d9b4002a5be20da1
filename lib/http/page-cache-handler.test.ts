import { beforeAll, describe, expect, it } from "vitest";
import { applyInvalidation, nextTagsManifest } from "./shared-cache-tags.mjs";

// The cache handler against Next's real FileSystemCache (memory only, as configured) and Next's
// real tag map: what a lookup returns after an invalidation, including one that arrives while
// the entry is being rendered. No database: the shared store is switched off for this process.

type Handler = {
  get(key: string, ctx: { kind: string; tags?: string[]; softTags?: string[] }): Promise<{ value: unknown } | null>;
  set(key: string, data: unknown, ctx: { fetchCache?: boolean; tags?: string[] }): Promise<void>;
  revalidateTag(tags: string | string[], durations?: { expire?: number }): Promise<void>;
};
let handler: Handler;

beforeAll(async () => {
  (globalThis as Record<symbol, unknown>)[Symbol.for("taiyaku.cacheTags.store")] = null;
  const { default: PageCacheHandler } = (await import("./page-cache-handler.mjs")) as unknown as {
    default: new (ctx: Record<string, unknown>) => Handler;
  };
  const noDisk = {
    readFile: () => Promise.reject(new Error("no disk")),
    existsSync: () => false,
  };
  handler = new PageCacheHandler({ fs: noDisk, flushToDisk: false, serverDistDir: "/nonexistent", revalidatedTags: [], maxMemoryCacheSize: 10_000_000 });
});

const fetchValue = (data: string, tags: string[]) => ({ kind: "FETCH", data: { headers: {}, body: data, status: 200 }, revalidate: 300, tags });
const lookup = (key: string, tags: string[]) => handler.get(key, { kind: "FETCH", tags, softTags: [] });
const tick = () => new Promise((resolve) => setTimeout(resolve, 3));

describe("page cache handler", () => {
  it("serves an entry until one of its tags is expired, locally or from another instance", async () => {
    expect(await lookup("k1", ["t1"])).toBeNull();
    await handler.set("k1", fetchValue("v1", ["t1"]), { fetchCache: true, tags: ["t1"] });
    expect(await lookup("k1", ["t1"])).not.toBeNull();
    await tick();
    await handler.revalidateTag(["t1"], { expire: 0 });
    await tick(); // a lookup in the very millisecond of an invalidation counts as before it
    expect(await lookup("k1", ["t1"])).toBeNull();

    await handler.set("k1", fetchValue("v2", ["t1"]), { fetchCache: true, tags: ["t1"] });
    expect(await lookup("k1", ["t1"])).not.toBeNull();
    await tick();
    applyInvalidation(nextTagsManifest, ["t1"], { expire: 0 }, Date.now()); // what the listener does
    expect(await lookup("k1", ["t1"])).toBeNull();
  });

  it("an invalidation that arrives while the entry renders applies to it", async () => {
    expect(await lookup("k2", ["t2"])).toBeNull(); // the miss: a render starts from current data
    await tick();
    applyInvalidation(nextTagsManifest, ["t2"], { expire: 0 }, Date.now()); // a write elsewhere, meanwhile
    await tick();
    await handler.set("k2", fetchValue("rendered before the write", ["t2"]), { fetchCache: true, tags: ["t2"] });
    expect(await lookup("k2", ["t2"])).toBeNull();

    // The next render started after the invalidation: kept.
    await tick();
    await handler.set("k2", fetchValue("rendered after the write", ["t2"]), { fetchCache: true, tags: ["t2"] });
    expect(await lookup("k2", ["t2"])).not.toBeNull();
  });

  it("keeps an expiry in effect when a stale-while-revalidate invalidation follows", async () => {
    await handler.revalidateTag("t3", { expire: 0 });
    const expired = nextTagsManifest.get("t3")!.expired!;
    await tick();
    await handler.revalidateTag("t3", { expire: 31_536_000 });
    expect(nextTagsManifest.get("t3")!.expired).toBe(expired);
  });
});
