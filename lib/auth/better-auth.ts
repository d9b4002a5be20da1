import "server-only";
import { betterAuth } from "better-auth/minimal";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { getPrisma } from "@/lib/db/prisma";
import { authSecret } from "@/lib/auth-secret";

// better-auth owns accounts, password hashing and sessions. Its HTTP router is not mounted:
// our own route handlers (features/accounts/api.ts) call auth.api so that validation, the
// sign-in rate limit and localized errors stay in one place (ADR 0007). It lives in lib/ because
// it is infrastructure (its own tables, the test users and the bench create users through it),
// not a feature file; only features/accounts calls its API, which is why it may import Prisma.

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

function createAuth() {
  return betterAuth({
    appName: "Taiyaku",
    baseURL: process.env.BETTER_AUTH_URL ?? process.env.SITE_URL ?? "http://localhost:3000",
    secret: authSecret(),
    database: prismaAdapter(getPrisma(), { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      autoSignIn: true,
      requireEmailVerification: false,
    },
    user: {
      additionalFields: {
        // input: false — a sign-up or profile request can never set its own role.
        role: { type: "string", input: false, defaultValue: "member", required: false },
        preferredLocale: { type: "string", input: false, required: false },
      },
    },
    session: {
      expiresIn: 60 * 60 * 24 * 30,
      updateAge: 60 * 60 * 24,
    },
    // Our routes do their own rate limiting (Postgres buckets shared by every instance).
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    advanced: {
      cookiePrefix: "taiyaku",
      // Secure is added per request by the route handlers when the request came over https.
      useSecureCookies: false,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", path: "/" },
    },
  });
}

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { taiyakuAuth?: Auth };

/** Built on first use, so `next build` never needs DATABASE_URL or the secret. */
export function getAuth(): Auth {
  globalForAuth.taiyakuAuth ??= createAuth();
  return globalForAuth.taiyakuAuth;
}

