import { randomUUID } from "node:crypto";

export type TestUser = { id: string; name: string; email: string; cookie: string };

const PASSWORD = "correct horse battery staple";

/**
 * A real account and session for integration tests, signed up through better-auth as the
 * sign-up route does (DATABASE_URL and BETTER_AUTH_SECRET must be set first). `cookie` is the
 * Cookie header a browser would send. `unique` appends a short random suffix to the display
 * name, for tests that find users by name.
 */
export async function signUpTestUser(label: string, options: { unique?: boolean } = {}): Promise<TestUser> {
  const { getAuth } = await import("@/lib/auth/better-auth");
  const email = `${label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${randomUUID()}@example.test`;
  const name = options.unique ? `${label}-${randomUUID().slice(0, 4)}` : label;
  const response = await getAuth().api.signUpEmail({ body: { email, password: PASSWORD, name }, asResponse: true });
  if (response.status !== 200) throw new Error(`sign-up of ${label}: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
  if (!cookie.includes("taiyaku.session_token=")) throw new Error(`sign-up of ${label}: no session cookie`);
  const body = (await response.json()) as { user: { id: string } };
  return { id: body.user.id, name, email, cookie };
}
