import { randomBytes } from "node:crypto";
import { expect, type BrowserContext } from "@playwright/test";

export const TEST_PASSWORD = "e2e password 123";

/** A fresh address per call, so parallel tests never share an account or its sign-in bucket. */
export function randomEmail(): string {
  return `e2e-${Date.now()}-${randomBytes(4).toString("hex")}@example.com`;
}

/**
 * A client address of its own for a context: the sign-in limit counts failures per address, and
 * every test talks to the server from 127.0.0.1. Applies to pages and to context.request.
 */
export async function useOwnAddress(context: BrowserContext): Promise<string> {
  const [a, b, c] = randomBytes(3);
  const address = `10.${a}.${b}.${(c! % 254) + 1}`;
  await context.setExtraHTTPHeaders({ "x-forwarded-for": address });
  return address;
}

/**
 * Creates a user through the API with the context's own cookie jar, so every page opened in the
 * context afterwards is signed in (the notes e2e starts from here).
 */
export async function signUp(
  context: BrowserContext,
  opts: { name?: string; locale?: "en" | "ja" } = {},
): Promise<{ email: string; password: string; name: string }> {
  const email = randomEmail();
  const name = opts.name ?? `Reader ${randomBytes(3).toString("hex")}`;
  const password = TEST_PASSWORD;
  const response = await context.request.post("/api/auth/sign-up", {
    data: { email, name, password },
    headers: { "x-ui-locale": opts.locale ?? "en" },
  });
  expect(response.status(), await response.text()).toBe(201);
  return { email, password, name };
}
