import { describe, expect, it } from "vitest";
import { mayInGroup, mayRemoveMember, needsApproval, roleAtLeast } from "./groups";
import { asSiteRole, siteRoleAtLeast } from "./core";
import { isModerator, mayPurge, maySuspend, moderationLogScope, moderatorScopes } from "./moderation";

// The single-object checks (one row already read, decided in JS). The rules with a database form
// are checked against Postgres in permissions.int.test.ts.

describe("site roles", () => {
  it("rank member < moderator < editor < admin; an editor also moderates the site, only an admin purges", () => {
    expect(siteRoleAtLeast("editor", "moderator")).toBe(true);
    expect(siteRoleAtLeast("moderator", "editor")).toBe(false);
    expect(siteRoleAtLeast("admin", "editor")).toBe(true);
    expect(siteRoleAtLeast(null, "member")).toBe(false);
    const editor = moderatorScopes({ id: "e", role: "editor" }, []);
    expect([editor.site, mayPurge(editor)]).toEqual([true, false]);
    expect(maySuspend(editor, "e", { id: "m", role: "moderator" })).toBe(false);
  });

  it("reads unknown stored roles as member", () => {
    expect([asSiteRole("editor"), asSiteRole("root"), asSiteRole(null)]).toEqual(["editor", "member", "member"]);
  });
});

describe("group roles", () => {
  it("ranks owner > moderator > member, and a non-member below all", () => {
    expect(roleAtLeast("owner", "moderator")).toBe(true);
    expect(roleAtLeast("moderator", "owner")).toBe(false);
    expect(roleAtLeast("member", "member")).toBe(true);
    expect(roleAtLeast(null, "member")).toBe(false);
  });

  it("owners edit, delete and change roles; moderators manage invites; members read and leave", () => {
    const table = (["owner", "moderator", "member", null] as const).map((role) => [
      role,
      mayInGroup(role, "edit"),
      mayInGroup(role, "delete"),
      mayInGroup(role, "changeRoles"),
      mayInGroup(role, "manageInvites"),
      mayInGroup(role, "read"),
      mayInGroup(role, "leave"),
    ]);
    expect(table).toEqual([
      ["owner", true, true, true, true, true, true],
      ["moderator", false, false, false, true, true, true],
      ["member", false, false, false, false, true, true],
      [null, false, false, false, false, false, false],
    ]);
  });

  it("owners remove anyone but themselves; moderators plain members only; members nobody", () => {
    const owner = { id: "o", role: "owner" as const };
    const moderator = { id: "m", role: "moderator" as const };
    const member = { id: "p", role: "member" as const };
    expect(mayRemoveMember(owner, { id: "o2", role: "owner" })).toBe(true);
    expect(mayRemoveMember(owner, moderator)).toBe(true);
    expect(mayRemoveMember(owner, owner)).toBe(false);
    expect(mayRemoveMember(moderator, member)).toBe(true);
    expect(mayRemoveMember(moderator, { id: "m2", role: "moderator" })).toBe(false);
    expect(mayRemoveMember(moderator, owner)).toBe(false);
    expect(mayRemoveMember(member, { id: "p2", role: "member" })).toBe(false);
    expect(mayRemoveMember({ id: "x", role: null }, member)).toBe(false);
  });

  it("pre-moderation holds plain members' notes only", () => {
    expect(needsApproval("member", true)).toBe(true);
    expect(needsApproval("moderator", true)).toBe(false);
    expect(needsApproval("owner", true)).toBe(false);
    expect(needsApproval("member", false)).toBe(false);
  });
});

describe("moderation scopes", () => {
  it("site role and moderated groups make the scopes", () => {
    expect(moderatorScopes({ id: "a", role: "admin" }, [])).toEqual({ site: true, admin: true, groupIds: [] });
    expect(moderatorScopes({ id: "s", role: "moderator" }, ["g"])).toEqual({ site: true, admin: false, groupIds: ["g"] });
    const plain = moderatorScopes({ id: "u", role: "member" }, []);
    expect(isModerator(plain)).toBe(false);
    expect(isModerator(moderatorScopes({ id: "u", role: "member" }, ["g"]))).toBe(true);
  });

  it("only admins purge, and only admins suspend staff; nobody suspends themselves", () => {
    const admin = moderatorScopes({ id: "a", role: "admin" }, []);
    const siteModerator = moderatorScopes({ id: "s", role: "moderator" }, []);
    const groupModerator = moderatorScopes({ id: "g", role: "member" }, ["group"]);
    expect([mayPurge(admin), mayPurge(siteModerator), mayPurge(groupModerator)]).toEqual([true, false, false]);
    expect(maySuspend(siteModerator, "s", { id: "u", role: "member" })).toBe(true);
    expect(maySuspend(siteModerator, "s", { id: "s2", role: "moderator" })).toBe(false);
    expect(maySuspend(admin, "a", { id: "s", role: "moderator" })).toBe(true);
    expect(maySuspend(admin, "a", { id: "a", role: "admin" })).toBe(false);
    expect(maySuspend(groupModerator, "g", { id: "u", role: "member" })).toBe(false);
  });

  it("the audit log: admins everything, site moderators site rows, group moderators their groups'", () => {
    expect(moderationLogScope(moderatorScopes({ id: "a", role: "admin" }, []))).toEqual({});
    expect(moderationLogScope(moderatorScopes({ id: "s", role: "moderator" }, ["g"]))).toEqual({ OR: [{ groupId: null }, { groupId: { in: ["g"] } }] });
    expect(moderationLogScope(moderatorScopes({ id: "u", role: "member" }, ["g"]))).toEqual({ OR: [{ groupId: { in: ["g"] } }] });
  });
});
