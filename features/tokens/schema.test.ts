import { describe, expect, it } from "vitest";
import { createTokenSchema } from "./schema";

describe("createTokenSchema", () => {
  const valid = { name: "Zotero sync", scopes: ["read"], expiresInDays: 90 };

  it("accepts names up to 100 code points, trims them, and orders and dedupes scopes", () => {
    expect(createTokenSchema.parse({ ...valid, name: "  a  " }).name).toBe("a");
    expect(createTokenSchema.parse({ ...valid, name: "😀".repeat(100) }).name).toHaveLength(200);
    expect(createTokenSchema.parse({ ...valid, scopes: ["write", "read", "write"] }).scopes).toEqual(["read", "write"]);
    expect(createTokenSchema.parse({ ...valid, expiresInDays: null }).expiresInDays).toBeNull();
  });

  it("refuses bad names, scopes, expiries and unknown fields with catalogue keys", () => {
    const issue = (input: object) => createTokenSchema.safeParse({ ...valid, ...input }).error?.issues[0]?.message;
    expect(issue({ name: "x".repeat(101) })).toBe("nameTooLong");
    expect(issue({ name: " " })).toBe("nameRequired");
    expect(issue({ name: "a\u202Eb" })).toBe("nameInvalid");
    expect(issue({ scopes: [] })).toBe("scopesRequired");
    expect(issue({ scopes: ["admin"] })).toBe("scopesRequired");
    expect(issue({ expiresInDays: 1 })).toBe("expiryInvalid");
    expect(createTokenSchema.safeParse({ ...valid, userId: "x" }).error?.issues[0]?.code).toBe("unrecognized_keys");
  });
});
