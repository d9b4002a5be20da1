import { describe, expect, it, vi } from "vitest";
import type { ClientNote } from "@/features/notes/components/notes-client";
import { parseMembershipEvent, parseNoteEvent } from "@/lib/live/listener";
import { applyLiveUpdate } from "@/features/notes/components/apply-live-update";
import { createLiveFeed } from "./live-feed";

const P = "para-1";
function note(id: string, extra: Partial<ClientNote> = {}): ClientNote {
  return {
    id, articleId: "a", paragraphId: P, paragraphKey: "p-1", parentId: null, rootId: null, depth: 0, kind: "comment", locale: "en",
    visibility: "public", group: null, tag: null, body: `body ${id}`, deleted: false, status: "visible", moderated: false, locked: false, helpfulCount: 0, helpfulByMe: false, flaggedByMe: false, answeredById: null, quote: null, author: { id: "u", name: "U" },
    createdAt: "2026-11-25T00:00:00.000Z", editedAt: null, version: 1, revisionCount: 0, replyCount: 0, ...extra,
  };
}

describe("applyLiveUpdate", () => {
  it("appends new notes, replaces edits, ignores other paragraphs and loading threads", () => {
    const list = [note("1")];
    const added = applyLiveUpdate(list, { op: "created", id: "2", paragraphId: P, paragraphKey: "p-1", note: note("2") }, P)!;
    expect(added.map((n) => n.id)).toEqual(["1", "2"]);
    const edited = applyLiveUpdate(added, { op: "updated", id: "1", paragraphId: P, paragraphKey: "p-1", note: note("1", { body: "new", version: 2 }) }, P)!;
    expect(edited[0]!.body).toBe("new");
    // A replayed older version does not overwrite the newer one.
    expect(applyLiveUpdate(edited, { op: "updated", id: "1", paragraphId: P, paragraphKey: "p-1", note: note("1") }, P)![0]!.body).toBe("new");
    expect(applyLiveUpdate(list, { op: "created", id: "3", paragraphId: "other", paragraphKey: "p-2", note: note("3") }, P)).toBe(list);
    expect(applyLiveUpdate(null, { op: "created", id: "3", paragraphId: P, paragraphKey: "p-1", note: note("3") }, P)).toBeNull();
  });

  it("removes deleted leaves, keeps a placeholder for notes with replies, drops a revoked group's notes", () => {
    const list = [note("1"), note("2", { parentId: "1" }), note("3", { visibility: "group", group: { id: "g", name: "G" } })];
    const deleted = applyLiveUpdate(list, { op: "deleted", id: "1", paragraphId: P, paragraphKey: "p-1" }, P)!;
    expect(deleted[0]).toMatchObject({ id: "1", deleted: true, body: null });
    expect(applyLiveUpdate(list, { op: "deleted", id: "2", paragraphId: P, paragraphKey: "p-1" }, P)!.map((n) => n.id)).toEqual(["1", "3"]);
    expect(applyLiveUpdate(list, { op: "revoked", groupId: "g" }, P)!.map((n) => n.id)).toEqual(["1", "2"]);
  });

  it("the feed delivers to subscribers until they unsubscribe", () => {
    const feed = createLiveFeed();
    const listener = vi.fn();
    const off = feed.subscribe(listener);
    feed.emit({ op: "revoked", groupId: "g" });
    off();
    feed.emit({ op: "revoked", groupId: "h" });
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

describe("NOTIFY payload parsing", () => {
  it("accepts the trigger's shapes and refuses anything else", () => {
    expect(parseNoteEvent('{"id":"n","articleId":"a","op":"created"}')).toEqual({ id: "n", articleId: "a", op: "created" });
    expect(parseNoteEvent('{"id":"n","articleId":"a","op":"dropped"}')).toBeNull();
    expect(parseNoteEvent("not json")).toBeNull();
    expect(parseMembershipEvent('{"groupId":"g","userId":null}')).toEqual({ groupId: "g", userId: null });
    expect(parseMembershipEvent('{"groupId":"g","userId":"u"}')).toEqual({ groupId: "g", userId: "u" });
    expect(parseMembershipEvent("{}")).toBeNull();
  });
});
