import { describe, expect, it } from "vitest";
import { displayNameSchema, passwordChangeSchema, safeNextPath, signUpSchema } from "./schema";

describe("safeNextPath", () => {
  it.each([
    "/en/articles/x?text=en#p-5",
    "/ja/articles/japan-patriot-missile-export?text=both#p-12",
    "/ja/profile",
    "/en",
    "/ja?x=1",
  ])("keeps %s", (path) => {
    expect(safeNextPath(path, "en")).toBe(path);
  });

  it.each([
    ["https://evil.example/en/"],
    ["//evil.example/en/"],
    ["/\\evil.example"],
    ["/en/\\evil"],
    ["/en//evil.example"],
    ["/fr/articles"],
    ["/english"],
    ["en/articles"],
    ["javascript:alert(1)"],
    ["/en/a b"],
    ["/en/\nx"],
    [""],
    [null],
    [undefined],
    [42],
    ["/en/" + "a".repeat(2001)],
  ])("refuses %j and falls back to the locale home", (value) => {
    expect(safeNextPath(value, "ja")).toBe("/ja");
    expect(safeNextPath(value, "en")).toBe("/en");
  });
});

describe("signUpSchema", () => {
  const valid = { email: " Ada@Example.COM ", name: "  Ada  ", password: "correct horse" };

  it("trims the name and lower-cases the email", () => {
    expect(signUpSchema.parse(valid)).toEqual({ email: "ada@example.com", name: "Ada", password: "correct horse" });
  });
  it("refuses extra fields such as role", () => {
    const result = signUpSchema.safeParse({ ...valid, role: "admin" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe("unrecognized_keys");
  });
  it.each([
    [{ password: "short" }, "passwordTooShort"],
    [{ password: "x".repeat(201) }, "passwordTooLong"],
    [{ email: "not-an-email" }, "emailInvalid"],
    [{ name: "   " }, "nameRequired"],
    [{ name: "x".repeat(81) }, "nameTooLong"],
  ])("%j → %s", (patch, key) => {
    const result = signUpSchema.safeParse({ ...valid, ...patch });
    expect(result.error?.issues.map((i) => i.message)).toContain(key);
  });
});

describe("displayNameSchema", () => {
  it.each(["a\u0000b", "tab\there", "bidi\u202Eevil", "line\nbreak"])("refuses control characters in %j", (name) => {
    expect(displayNameSchema.safeParse(name).success).toBe(false);
  });
  it.each(["山田 花子", "Zoë", "🙂 Sam"])("accepts %s", (name) => {
    expect(displayNameSchema.safeParse(name).success).toBe(true);
  });
});

describe("passwordChangeSchema", () => {
  it("requires a long enough new password", () => {
    expect(passwordChangeSchema.safeParse({ currentPassword: "x", newPassword: "short" }).success).toBe(false);
    expect(passwordChangeSchema.safeParse({ currentPassword: "x", newPassword: "long enough pw" }).success).toBe(true);
  });
});
