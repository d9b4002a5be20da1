import { describe, expect, it } from "vitest";
import { changeRoleSchema, createGroupSchema, createInviteSchema, INVITE_TOKEN, parseCursor, updateGroupSchema } from "./schema";

describe("group schemas", () => {
  it("trims names, defaults description and focus, maps an empty focus to null", () => {
    expect(createGroupSchema.parse({ name: "  Kanji  " })).toEqual({ name: "Kanji", description: "", languageFocus: null });
    expect(createGroupSchema.parse({ name: "x", languageFocus: "" }).languageFocus).toBeNull();
    expect(createGroupSchema.parse({ name: "x", languageFocus: "ja" }).languageFocus).toBe("ja");
  });

  it("refuses empty, over-long and bidi-spoofed names, unknown focus and extra fields", () => {
    const issue = (input: unknown) => createGroupSchema.safeParse(input).error?.issues[0]?.message;
    expect(issue({ name: "   " })).toBe("nameRequired");
    expect(issue({ name: "a".repeat(81) })).toBe("nameTooLong");
    expect(createGroupSchema.safeParse({ name: "a".repeat(80) }).success).toBe(true);
    expect(issue({ name: "abc\u202Edef" })).toBe("nameInvalid");
    expect(issue({ name: "x", description: "d".repeat(1001) })).toBe("descriptionTooLong");
    expect(issue({ name: "x", languageFocus: "fr" })).toBe("languageFocusInvalid");
    expect(createGroupSchema.safeParse({ name: "x", deletedAt: null }).error?.issues[0]?.code).toBe("unrecognized_keys");
  });

  it("needs a version for edits and role changes", () => {
    expect(updateGroupSchema.safeParse({ name: "x", description: "", languageFocus: null }).success).toBe(false);
    expect(changeRoleSchema.safeParse({ role: "admin", version: 1 }).error?.issues[0]?.message).toBe("roleInvalid");
    expect(changeRoleSchema.parse({ role: "moderator", version: 3 })).toEqual({ role: "moderator", version: 3 });
  });

  it("accepts only the offered expiries and a use limit of 1–1000 or none", () => {
    expect(createInviteSchema.parse({ expiresIn: "7d" })).toEqual({ expiresIn: "7d", maxUses: null });
    expect(createInviteSchema.safeParse({ expiresIn: "2d" }).success).toBe(false);
    expect(createInviteSchema.safeParse({ expiresIn: "1d", maxUses: 1001 }).success).toBe(false);
    expect(createInviteSchema.safeParse({ expiresIn: "1d", maxUses: 1.5 }).success).toBe(false);
  });

  it("parses activity cursors and recognises token shapes", () => {
    const id = "0b7e6c1e-5f1a-4f8e-9d3c-2a1b0c9d8e7f";
    expect(parseCursor(undefined)).toBeNull();
    expect(parseCursor(`2026-11-25T10:00:00.000Z_${id}`)).toEqual({ createdAt: new Date("2026-11-25T10:00:00.000Z"), id });
    expect(parseCursor("junk")).toBe("invalid");
    expect(parseCursor(`yesterday_${id}`)).toBe("invalid");
    expect(INVITE_TOKEN.test("A".repeat(43))).toBe(true);
    expect(INVITE_TOKEN.test("A".repeat(42))).toBe(false);
    expect(INVITE_TOKEN.test(`${"A".repeat(42)}.`)).toBe(false);
  });
});
