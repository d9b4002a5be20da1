import "server-only";
import { isAPIError } from "better-auth/api";
import type { AppLocale } from "@/i18n/routing";
import { peekToken, takeToken, type Bucket, type TakeResult } from "@/lib/db/rate-limit";
import { defineEndpoint, type AddressLimit } from "@/lib/http/endpoint";
import { isHttps, readCookie } from "@/lib/http/request-context";
import { fail, ok } from "@/lib/http/responses";
import { translatorFor } from "@/lib/i18n/translator";
import { SESSION_COOKIE, SIGNED_IN_HINT_COOKIE } from "@/lib/session-cookie";
import { countUnreadNotifications } from "@/features/notifications/data";
import { getAuth } from "@/lib/auth/better-auth";
import { signInAccountKey } from "@/lib/auth/sign-in-key";
import { invalidatePublicNotes } from "@/lib/cache-tags";
import { asSiteRole } from "@/lib/permissions/core";
import { findUserByEmail, type Viewer } from "./data";
import { requestPasswordReset, resetPasswordWithLink, sendVerificationMail, setPreferredLocale, updateProfile, verifyEmailWithLink } from "./mutations";
import { forgotPasswordSchema, passwordChangeSchema, profileSchema, resetPasswordSchema, signInSchema, signUpSchema, verifyEmailSchema } from "./schema";

// Request → Response handlers behind app/api/auth/*, app/api/me and app/api/profile/*. The route
// files only forward to these, and the integration tests call them directly, so nothing here
// reads next/headers: everything comes from the Request. better-auth does the password hashing
// and sessions; validation, limits and localized errors happen here (ADR 0007).

/** The non-httpOnly cookie the header reads to decide whether /api/me is worth asking. */
const LOCALE_COOKIE = "NEXT_LOCALE";
const YEAR_SECONDS = 60 * 60 * 24 * 365;
// Same lifetime as the session (auth.ts): a stale hint only costs one /api/me request.
const HINT_SECONDS = 60 * 60 * 24 * 30;

/** 5 failed sign-ins, then one more every 12 s: "more than 5 failures a minute" is refused. */
export const SIGN_IN_BUCKET: Bucket = { capacity: 5, refillPerSecond: 5 / 60 };

/**
 * Sign-ups per client address per hour, and across the whole site per minute. Every attempt
 * spends a token, "email taken" answers included, so the form is no unthrottled way to test
 * which addresses have accounts. Read per request so tests and the e2e server can set them.
 */
function signUpLimits(): AddressLimit[] {
  const perAddress = positiveNumber(process.env.TAIYAKU_SIGN_UP_PER_ADDRESS_PER_HOUR, 10);
  const perMinute = positiveNumber(process.env.TAIYAKU_SIGN_UPS_PER_MINUTE, 60);
  return [
    { key: "sign-up", per: "address", bucket: { capacity: perAddress, refillPerSecond: perAddress / 3600 } },
    { key: "sign-up", per: "global", bucket: { capacity: perMinute, refillPerSecond: perMinute / 60 } },
  ];
}

function positiveNumber(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

type Translator = ReturnType<typeof translatorFor<"Account">>;

export type PublicUser = Pick<Viewer, "id" | "name" | "email" | "role"> & { preferredLocale: AppLocale | null };

function publicUser(user: { id: string; name: string; email: string; role?: unknown; preferredLocale?: unknown }): PublicUser {
  const role = asSiteRole(user.role);
  const preferredLocale = user.preferredLocale === "en" || user.preferredLocale === "ja" ? user.preferredLocale : null;
  return { id: user.id, name: user.name, email: user.email, role, preferredLocale };
}

// ---- cookies ---------------------------------------------------------------------------------

function cookie(request: Request, name: string, value: string, maxAge: number, httpOnly: boolean): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, "Path=/", `Max-Age=${maxAge}`, "SameSite=Lax"];
  if (httpOnly) parts.push("HttpOnly");
  if (isHttps(request)) parts.push("Secure");
  return parts.join("; ");
}

/** better-auth's Set-Cookie headers, made Secure when the request came over https. */
function forwardAuthCookies(request: Request, from: Headers | undefined, to: Headers): void {
  if (!from) return;
  const secure = isHttps(request);
  for (const value of from.getSetCookie()) {
    to.append("set-cookie", secure && !/;\s*secure/i.test(value) ? `${value}; Secure` : value);
  }
}

function signedInCookies(request: Request, headers: Headers, locale: AppLocale): void {
  // NEXT_LOCALE is what next-intl reads at "/": the account's language wins from now on.
  headers.append("set-cookie", cookie(request, LOCALE_COOKIE, locale, YEAR_SECONDS, false));
  headers.append("set-cookie", cookie(request, SIGNED_IN_HINT_COOKIE, "1", HINT_SECONDS, false));
}

function clearSignedInCookies(request: Request, headers: Headers): void {
  headers.append("set-cookie", cookie(request, SIGNED_IN_HINT_COOKIE, "", 0, false));
  // better-auth clears it on sign-out; this covers an expired session whose cookie lingers.
  headers.append("set-cookie", cookie(request, SESSION_COOKIE, "", 0, true));
}

function authErrorCode(error: unknown): string | undefined {
  if (!isAPIError(error)) return undefined;
  const body = error.body as { code?: unknown } | undefined;
  return typeof body?.code === "string" ? body.code : undefined;
}

// ---- handlers --------------------------------------------------------------------------------

/** POST /api/auth/sign-up → 201 { user } and a session cookie; 409 email_taken. */
export const signUp = defineEndpoint(
  { summary: "Create an account (email, password, name, language) and sign in: the session cookie comes with the answer.", messages: "Account", auth: "none", body: signUpSchema, limits: signUpLimits },
  async ({ request, locale, t, body }) => {
  const { email, name, password } = body;

  if (await findUserByEmail(email)) return fail("email_taken", t("errors.emailTaken"), { fieldErrors: { email: [t("errors.emailTaken")] } });
  let result;
  try {
    result = await getAuth().api.signUpEmail({ body: { email, name, password }, headers: request.headers, returnHeaders: true });
  } catch (error) {
    const code = authErrorCode(error);
    // Two sign-ups racing for the same address: the second loses on the unique index.
    if (code?.startsWith("USER_ALREADY_EXISTS")) return fail("email_taken", t("errors.emailTaken"), { fieldErrors: { email: [t("errors.emailTaken")] } });
    throw error;
  }
  await setPreferredLocale(result.response.user.id, locale);
  // The verification link, in the language the form was shown in (ADR 0033).
  await sendVerificationMail(result.response.user.id, locale);
  // Same rule as sign-in: whatever session this browser had before does not outlive the switch.
  await revokePresentedSession(request);
  const headers = new Headers();
  forwardAuthCookies(request, result.headers, headers);
  signedInCookies(request, headers, locale);
  return ok({ user: publicUser({ ...result.response.user, role: "member", preferredLocale: locale }) }, 201, headers);
  },
);

/**
 * POST /api/auth/sign-in. Unknown email and wrong password get the same answer. Failures spend
 * tokens from two buckets, the client address and the account; either one empty → 429, checked
 * before the password is even tried so a locked-out guess costs no hashing.
 */
export const signIn = defineEndpoint({ summary: "Sign in with email and password (sets the session cookie); failures are rate-limited per address and per account.", messages: "Account", auth: "none", body: signInSchema }, async ({ request, locale, t, body, address }) => {
  const { email, password } = body;

  const keys = [`sign-in:ip:${address}`, signInAccountKey(email)];
  const limited = worst(await Promise.all(keys.map((key) => peekToken(key, SIGN_IN_BUCKET))));
  if (limited) return rateLimited(t, limited);

  let result;
  try {
    result = await getAuth().api.signInEmail({ body: { email, password }, headers: request.headers, returnHeaders: true });
  } catch (error) {
    if (!isAPIError(error) || error.statusCode !== 401) throw error;
    const spent = worst(await Promise.all(keys.map((key) => takeToken(key, SIGN_IN_BUCKET))));
    if (spent) return rateLimited(t, spent);
    return fail("invalid_credentials", t("errors.invalidCredentials"));
  }

  // better-auth always creates a fresh session (a new token) at sign-in; the session this
  // browser had before, if any, is revoked so a planted or leaked old cookie is worth nothing.
  await revokePresentedSession(request);
  const user = publicUser(result.response.user);
  const headers = new Headers();
  forwardAuthCookies(request, result.headers, headers);
  signedInCookies(request, headers, user.preferredLocale ?? locale);
  return ok({ user }, 200, headers);
});

/** Deletes the session of the cookie this request carried (if any); the response sets a new one. */
async function revokePresentedSession(request: Request): Promise<void> {
  if (!readCookie(request, SESSION_COOKIE)) return;
  await getAuth()
    .api.signOut({ headers: request.headers })
    .catch(() => undefined);
}

function worst(results: TakeResult[]): { retryAfterSeconds: number } | null {
  const denied = results.flatMap((r) => (r.allowed ? [] : [r.retryAfterSeconds]));
  return denied.length ? { retryAfterSeconds: Math.max(...denied) } : null;
}

function rateLimited(t: Translator, { retryAfterSeconds }: { retryAfterSeconds: number }): Response {
  return fail("rate_limited", t("errors.rateLimited", { seconds: retryAfterSeconds }), { retryAfterSeconds });
}

/** POST /api/auth/sign-out: deletes the session row and clears the cookies; always 200. */
export const signOut = defineEndpoint({ summary: "Sign out: deletes the session and clears the cookies.", messages: "Account", auth: "none" }, async ({ request }) => {
  const headers = new Headers();
  if (readCookie(request, SESSION_COOKIE)) {
    const result = await getAuth()
      .api.signOut({ headers: request.headers, returnHeaders: true })
      .catch(() => null);
    forwardAuthCookies(request, result?.headers, headers);
  }
  clearSignedInCookies(request, headers);
  return ok({}, 200, headers);
});

/** GET /api/me → { user } or { user: null } (and the stale hint cookie cleared). */
export const me = defineEndpoint({ summary: "The signed-in user and their unread notification count, or `user: null`.", messages: "Account", auth: "optional" }, async ({ request, viewer }) => {
  const headers = new Headers();
  if (!viewer && readCookie(request, SIGNED_IN_HINT_COOKIE)) clearSignedInCookies(request, headers);
  // The header shows the unread count next to the name: one cheap count, visibility re-checked.
  if (!viewer) return ok({ user: null }, 200, headers);
  return ok({ user: publicUser(viewer), unreadNotifications: await countUnreadNotifications(viewer.id) }, 200, headers);
});

/** PATCH /api/profile { name, preferredLocale } → { user }. */
export const patchProfile = defineEndpoint({ summary: "Change the caller's display name and preferred language.", messages: "Account", auth: "required", body: profileSchema }, async ({ request, viewer, body }) => {
  const { user: updated, renamedOn } = await updateProfile(viewer.id, body);
  // The author's name is in every public note of theirs on cached pages, on every instance.
  for (const articleId of renamedOn) invalidatePublicNotes(articleId);
  const headers = new Headers();
  signedInCookies(request, headers, body.preferredLocale);
  return ok({ user: publicUser(updated) }, 200, headers);
});

/** Wrong current passwords are limited like sign-ins, so a borrowed session cannot guess. */
const PASSWORD_CHANGE_BUCKET = SIGN_IN_BUCKET;

/**
 * POST /api/profile/password { currentPassword, newPassword }. Every session of the user is
 * revoked and this browser gets a new one, so a stolen cookie stops working.
 */
export const changePassword = defineEndpoint({ summary: "Change the caller's password: every session is revoked and this browser gets a new one.", messages: "Account", auth: "required", body: passwordChangeSchema }, async ({ request, viewer, t, body }) => {

  const key = `password-change:user:${viewer.id}`;
  const peek = await peekToken(key, PASSWORD_CHANGE_BUCKET);
  if (!peek.allowed) return rateLimited(t, peek);
  let result;
  try {
    result = await getAuth().api.changePassword({
      body: { ...body, revokeOtherSessions: true },
      headers: request.headers,
      returnHeaders: true,
    });
  } catch (error) {
    if (authErrorCode(error) !== "INVALID_PASSWORD") throw error;
    const spent = await takeToken(key, PASSWORD_CHANGE_BUCKET);
    if (!spent.allowed) return rateLimited(t, spent);
    const message = t("errors.currentPasswordWrong");
    return fail("validation", message, { fieldErrors: { currentPassword: [message] } });
  }
  const headers = new Headers();
  forwardAuthCookies(request, result.headers, headers);
  return ok({}, 200, headers);
});

// ---- password reset and email verification (ADR 0033) ------------------------------------------

function perAddressPerHour(key: string, count: number): AddressLimit[] {
  return [{ key, per: "address", bucket: { capacity: count, refillPerSecond: count / 3600 } }];
}

/** Reset mails per address asked for (whether or not it has an account): 3 an hour. */
const RESET_PER_EMAIL: Bucket = { capacity: 3, refillPerSecond: 3 / 3600 };
/** The least time "forgot password" takes to answer, known address or not. */
const FORGOT_MIN_MS = 250;
/** "Send the link again" per account: 3 an hour. */
const RESEND_PER_USER: Bucket = { capacity: 3, refillPerSecond: 3 / 3600 };

/**
 * POST /api/auth/forgot-password { email } → 200 whether or not the address has an account (the
 * mail goes out only if it has). Limited per client address and per address asked for — the
 * latter keyed on the address itself, so a 429 says nothing about whether an account exists.
 */
export const forgotPassword = defineEndpoint(
  {
    summary: "Mails a single-use password reset link (valid 30 minutes) if the address has an account; the same answer either way.",
    messages: "PasswordReset",
    auth: "none",
    body: forgotPasswordSchema,
    limits: () => perAddressPerHour("password-reset", positiveNumber(process.env.TAIYAKU_PASSWORD_RESETS_PER_ADDRESS_PER_HOUR, 10)),
  },
  async ({ locale, t, body }) => {
    const spent = await takeToken(`password-reset:email:${body.email}`, RESET_PER_EMAIL);
    if (!spent.allowed) return fail("rate_limited", t("errors.rateLimited", { seconds: spent.retryAfterSeconds }), { retryAfterSeconds: spent.retryAfterSeconds });
    // A known address costs a few more statements than an unknown one: answering no sooner than
    // FORGOT_MIN_MS either way keeps the timing from telling which addresses have accounts.
    const started = performance.now();
    await requestPasswordReset(body.email, locale);
    const rest = FORGOT_MIN_MS - (performance.now() - started);
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    return ok({});
  },
);

/**
 * POST /api/auth/reset-password { token, newPassword } → 200 and a fresh session for this
 * browser; every other session of the account is gone. A bad link (malformed, expired, used,
 * another account's) → 400 link_invalid, one message for all of them.
 */
export const resetPassword = defineEndpoint(
  {
    summary: "Sets a new password with a mailed reset link, revokes every session of the account and signs this browser in.",
    messages: "PasswordReset",
    auth: "optional",
    body: resetPasswordSchema,
    limits: perAddressPerHour("password-reset-use", 30),
  },
  async ({ request, locale, t, body, viewer }) => {
    const reset = await resetPasswordWithLink(body.token, body.newPassword, viewer?.id ?? null);
    if (!reset) return fail("link_invalid", t("errors.tokenInvalid"));
    const result = await getAuth().api.signInEmail({ body: { email: reset.email, password: body.newPassword }, headers: request.headers, returnHeaders: true });
    const user = publicUser(result.response.user);
    const headers = new Headers();
    forwardAuthCookies(request, result.headers, headers);
    signedInCookies(request, headers, user.preferredLocale ?? locale);
    return ok({ user }, 200, headers);
  },
);

/** POST /api/auth/verify-email { token } → 200 { email }; a bad link → 400 link_invalid. */
export const verifyEmail = defineEndpoint(
  {
    summary: "Confirms the account's email address with a mailed verification link (single use).",
    messages: "EmailVerification",
    auth: "optional",
    body: verifyEmailSchema,
    limits: perAddressPerHour("verify-email-use", 30),
  },
  async ({ t, body, viewer }) => {
    const verified = await verifyEmailWithLink(body.token, viewer?.id ?? null);
    if (!verified) return fail("link_invalid", t("errors.tokenInvalid"));
    return ok({ email: verified.email });
  },
);

/** POST /api/profile/verification → 200 { email } after queueing a new link; 3 an hour. */
export const resendVerification = defineEndpoint(
  { summary: "Mails a new verification link to the signed-in account's address.", messages: "EmailVerification", auth: "required" },
  async ({ locale, t, viewer }) => {
    const spent = await takeToken(`verify-email:user:${viewer.id}`, RESEND_PER_USER);
    if (!spent.allowed) return fail("rate_limited", t("errors.rateLimited", { seconds: spent.retryAfterSeconds }), { retryAfterSeconds: spent.retryAfterSeconds });
    const sent = await sendVerificationMail(viewer.id, locale);
    if (!sent) return fail("already_verified", t("errors.alreadyVerified"));
    return ok({ email: viewer.email });
  },
);
