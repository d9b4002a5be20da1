import { describe, expect, it } from "vitest";
import { applyInvalidation, chunkTags, MAX_PAYLOAD_BYTES, parsePayload, type TagManifest } from "./shared-cache-tags.mjs";

describe("applyInvalidation", () => {
  it("expires a tag at once without durations, as Next's revalidateTag does", () => {
    const manifest: TagManifest = new Map([["a", { stale: 5 }]]);
    applyInvalidation(manifest, ["a", "b"], undefined, 1_000);
    expect(manifest.get("a")).toEqual({ stale: 5, expired: 1_000 });
    expect(manifest.get("b")).toEqual({ expired: 1_000 });
  });

  it("marks a tag stale now and expired after durations.expire seconds", () => {
    const manifest: TagManifest = new Map();
    applyInvalidation(manifest, ["a"], { expire: 0 }, 1_000);
    expect(manifest.get("a")).toEqual({ stale: 1_000, expired: 1_000 });
    applyInvalidation(manifest, ["b"], { expire: 60 }, 1_000);
    expect(manifest.get("b")).toEqual({ stale: 1_000, expired: 61_000 });
  });

  it("keeps an expiry already in effect instead of pushing it into the future", () => {
    const manifest: TagManifest = new Map();
    applyInvalidation(manifest, ["a"], { expire: 0 }, 1_000);
    applyInvalidation(manifest, ["a"], { expire: 31_536_000 }, 2_000);
    // Entries built before 1 000 stay expired; those built since are stale.
    expect(manifest.get("a")).toEqual({ stale: 2_000, expired: 1_000 });
    // A future expiry may be replaced by a nearer or a later one.
    applyInvalidation(manifest, ["b"], { expire: 60 }, 1_000);
    applyInvalidation(manifest, ["b"], { expire: 120 }, 2_000);
    expect(manifest.get("b")?.expired).toBe(122_000);
  });
});

describe("chunkTags", () => {
  it("keeps each chunk's JSON under the byte budget and loses no tag", () => {
    const tags = Array.from({ length: 200 }, (_, i) => `notes:${String(i).padStart(3, "0")}-${"語".repeat(60)}`);
    const chunks = chunkTags(tags);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flat()).toEqual(tags);
    for (const chunk of chunks) expect(Buffer.byteLength(JSON.stringify(chunk))).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES + 2);
  });

  it("puts a short list in one chunk", () => {
    expect(chunkTags(["articles", "article:x"])).toEqual([["articles", "article:x"]]);
  });
});

describe("parsePayload", () => {
  it("reads what PUBLISH_SQL sends", () => {
    expect(parsePayload(JSON.stringify({ t: ["a"], d: true, e: 0, s: "me", st: 5, at: 6 }))).toEqual({
      tags: ["a"],
      durations: { expire: 0 },
      sender: "me",
      sentAt: 5,
      at: 6,
    });
    expect(parsePayload(JSON.stringify({ t: ["a"], d: false, e: null, s: "me", st: 5, at: 6 }))?.durations).toBeUndefined();
  });

  it("ignores what is not a notification", () => {
    expect(parsePayload("not json")).toBeNull();
    expect(parsePayload(JSON.stringify({ t: [1] }))).toBeNull();
    expect(parsePayload(undefined)).toBeNull();
  });
});
