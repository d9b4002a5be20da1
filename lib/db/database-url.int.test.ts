import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/test-database";
import { checkDatabaseReachable, DatabaseUnreachableError } from "./database-url";

describe("checkDatabaseReachable against a real server", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    db = await createTestDatabase("reach");
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function reason(url: string): Promise<{ reason: string; message: string }> {
    const error = await checkDatabaseReachable(url, 5000).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    return error as DatabaseUnreachableError;
  }

  it("accepts a database that exists", async () => {
    await expect(checkDatabaseReachable(db.url, 5000)).resolves.toBeUndefined();
  });

  it("says the password or user is wrong, without showing the password", async () => {
    const url = new URL(db.url);
    url.password = "definitely-wrong-password";
    const error = await reason(url.toString());
    expect(error.reason).toBe("auth-failed");
    expect(error.message).toContain(`rejected user "${url.username}"`);
    expect(error.message).not.toContain("definitely-wrong-password");
  });

  it("says the database does not exist, naming it", async () => {
    const url = new URL(inject("pgAdminUrl"));
    url.pathname = "/no_such_database_here";
    const error = await reason(url.toString());
    expect(error.reason).toBe("database-missing");
    expect(error.message).toMatch(/^The database "no_such_database_here" does not exist on 127\.0\.0\.1:\d+;/);
  });
});
