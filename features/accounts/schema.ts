import { z } from "zod";
import "@/lib/zod-jitless";
import { SITE_ROLES } from "@/lib/permissions/core";
import type { AppLocale } from "@/i18n/routing";

// Issue messages are keys under Account.errors in messages/*.json: the API translates them into
// the caller's language, so one schema serves both locales. `.strict()` everywhere: a body that
// tries to set role, id or emailVerified is refused (422 unexpected_field), not silently trimmed.

export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 200;
export const MAX_NAME = 80;
const MAX_EMAIL = 320;

// C0/C1 controls and bidi overrides: invisible in a header, and bidi marks can make a name
// render as someone else's.
const UNSAFE_NAME_CHARS = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

const email = z
  .string({ error: "emailInvalid" })
  .trim()
  .toLowerCase()
  .max(MAX_EMAIL, { error: "emailInvalid" })
  .pipe(z.email({ error: "emailInvalid" }));

export const displayNameSchema = z
  .string({ error: "nameRequired" })
  .trim()
  .min(1, { error: "nameRequired" })
  .max(MAX_NAME, { error: "nameTooLong" })
  .refine((value) => !UNSAFE_NAME_CHARS.test(value), { error: "nameInvalid" });

const newPassword = z
  .string({ error: "passwordTooShort" })
  .min(MIN_PASSWORD, { error: "passwordTooShort" })
  .max(MAX_PASSWORD, { error: "passwordTooLong" });

export const localeSchema = z.enum(["en", "ja"], { error: "localeInvalid" });

export const signUpSchema = z.strictObject({ email, name: displayNameSchema, password: newPassword });
export type SignUpInput = z.infer<typeof signUpSchema>;

// Sign-in does not repeat the length policy: a too-short password is simply wrong.
export const signInSchema = z.strictObject({
  email,
  password: z.string({ error: "passwordRequired" }).min(1, { error: "passwordRequired" }).max(MAX_PASSWORD, { error: "passwordTooLong" }),
});
export type SignInInput = z.infer<typeof signInSchema>;

export const profileSchema = z.strictObject({ name: displayNameSchema, preferredLocale: localeSchema });
export type ProfileInput = z.infer<typeof profileSchema>;

export const passwordChangeSchema = z.strictObject({
  currentPassword: z.string({ error: "passwordRequired" }).min(1, { error: "passwordRequired" }).max(MAX_PASSWORD, { error: "passwordTooLong" }),
  newPassword,
});
export type PasswordChangeInput = z.infer<typeof passwordChangeSchema>;

export const roles = SITE_ROLES;
export const roleSchema = z.enum(roles);

const MAX_NEXT_LENGTH = 2000;

/**
 * Where to go after signing in or up. Only paths on this site under a locale prefix are
 * followed; "//evil.example", "/\\evil.example", absolute URLs and anything odd fall back to the
 * locale's home page, so a crafted link cannot turn sign-in into an open redirect.
 */
export function safeNextPath(raw: unknown, locale: AppLocale): string {
  const home = `/${locale}`;
  if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_NEXT_LENGTH) return home;
  if (!/^\/(en|ja)(\/|$|[?#])/.test(raw)) return home;
  // Backslashes are read as slashes by browsers; "//" anywhere can become a host after
  // normalisation; control characters and spaces have no business in a path we built.
  if (raw.includes("\\") || raw.includes("//") || /[\p{Cc}\s]/u.test(raw)) return home;
  try {
    const base = "http://taiyaku.invalid";
    const url = new URL(raw, base);
    if (url.origin !== base) return home;
  } catch {
    return home;
  }
  return raw;
}

// ---- password reset and email verification (ADR 0033) ----------------------------------------
// Messages are keys of PasswordReset.errors / EmailVerification.errors.

const linkToken = z.string({ error: "tokenInvalid" }).regex(/^[A-Za-z0-9_-]{43}$/, { error: "tokenInvalid" });

export const forgotPasswordSchema = z.strictObject({ email });
export const resetPasswordSchema = z.strictObject({ token: linkToken, newPassword });
export const verifyEmailSchema = z.strictObject({ token: linkToken });
