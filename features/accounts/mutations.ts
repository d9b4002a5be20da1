import "server-only";
import { randomUUID } from "node:crypto";
import { getPrisma } from "@/lib/db/prisma";
import type { AppLocale } from "@/i18n/routing";
import { getAuth } from "@/lib/auth/better-auth";
import { LINK_TOKEN_PATTERN, linkIdentifier, newLinkToken, RESET_LINK_MINUTES, VERIFY_LINK_HOURS } from "@/lib/auth/email-links";
import type { Prisma } from "@/lib/generated/prisma/client";
import { translatorFor } from "@/lib/i18n/translator";
import { headerSafeName, queueMail } from "@/lib/mail/mailer";
import { renderMail } from "@/lib/mail/render";
import { siteUrl } from "@/lib/site-url";
import type { Role } from "./data";

/**
 * Display name and preferred language; the caller has validated both (profileSchema). When the
 * name changed, also returns the articles whose cached public notes show it (their pages must be
 * expired: the name is drawn in every public note of this author).
 */
export async function updateProfile(userId: string, input: { name: string; preferredLocale: AppLocale }) {
  return getPrisma().$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true } });
    const user = await tx.user.update({
      where: { id: userId },
      data: { name: input.name, preferredLocale: input.preferredLocale },
      select: { id: true, name: true, email: true, role: true, preferredLocale: true },
    });
    const renamedOn =
      before.name === user.name
        ? []
        : (
            await tx.note.findMany({
              where: { authorId: userId, visibility: "public", deletedAt: null },
              distinct: ["articleId"],
              select: { articleId: true },
            })
          ).map((n) => n.articleId);
    return { user, renamedOn };
  });
}

/** At sign-up the language is the one the form was shown in; the profile can change it later. */
export async function setPreferredLocale(userId: string, locale: AppLocale): Promise<void> {
  await getPrisma().user.update({ where: { id: userId }, data: { preferredLocale: locale } });
}

/**
 * Promote or demote someone (npm run user:role). Returns null for an unknown email so the script
 * can say so in one sentence instead of printing Prisma's P2025.
 */
export async function setUserRole(email: string, role: Role): Promise<{ email: string; name: string; role: Role; previousRole: Role } | null> {
  const prisma = getPrisma();
  const normalized = email.trim().toLowerCase();
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: normalized }, select: { id: true, role: true } });
    if (!user) return null;
    const updated = await tx.user.update({ where: { id: user.id }, data: { role }, select: { email: true, name: true, role: true } });
    // Site roles are moderation powers: every change is in the audit log (actor: the console).
    if (user.role !== role) {
      await tx.moderationLog.create({
        data: { actorId: null, action: "role_change", targetUserId: user.id, oldStatus: user.role, newStatus: role, internalNote: "npm run user:role" },
      });
    }
    return { ...updated, previousRole: user.role };
  });
}

// ---- password reset and email verification (ADR 0033) ------------------------------------------
// Both are single-use links: a random token mailed to the address, only its sha256 stored in
// better-auth's `verification` table (lib/auth/email-links.ts). Using a link deletes its row in the
// same transaction as the change it makes, so a link works once even when clicked twice at once.

/** The recipient's language: the account's preferred one, else the language the request came in. */
function mailLocale(preferred: string | null, fallback: AppLocale): AppLocale {
  return preferred === "en" || preferred === "ja" ? preferred : fallback;
}

/**
 * Links are built on SITE_URL, never on the request's Host header: a forged Host would otherwise
 * mail the victim a reset link pointing at the attacker's site (reset-link poisoning).
 */
function linkUrl(locale: AppLocale, page: "reset-password" | "verify-email", token: string): string {
  const url = new URL(`/${locale}/${page}`, siteUrl());
  url.searchParams.set("token", token);
  return url.href;
}

/**
 * "Forgot password?": mails a reset link when the address has an account and does nothing
 * otherwise — the caller answers the same either way. A new link replaces the account's older ones.
 */
export async function requestPasswordReset(email: string, fallbackLocale: AppLocale): Promise<void> {
  const prisma = getPrisma();
  const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true, name: true, email: true, preferredLocale: true } });
  if (!user) return;
  const token = newLinkToken();
  const locale = mailLocale(user.preferredLocale, fallbackLocale);
  const t = translatorFor(locale, "Mail");
  const body = renderMail(locale, {
    heading: t("passwordReset.heading"),
    paragraphs: [t("passwordReset.greeting", { name: user.name }), t("passwordReset.intro", { email: user.email }), t("passwordReset.expiry", { minutes: RESET_LINK_MINUTES })],
    action: { label: t("passwordReset.action"), url: linkUrl(locale, "reset-password", token) },
    footer: [t("passwordReset.ignore")],
  });
  await prisma.$transaction(async (tx) => {
    await tx.verification.deleteMany({ where: { identifier: { startsWith: "reset-password:" }, value: user.id } });
    await tx.verification.create({
      data: { id: randomUUID(), identifier: linkIdentifier("reset-password", token), value: user.id, expiresAt: new Date(Date.now() + RESET_LINK_MINUTES * 60_000) },
    });
    await queueMail({ to: user.email, toName: headerSafeName(user.name), locale, subject: t("passwordReset.subject"), kind: "password-reset", userId: user.id, ...body }, tx);
  });
}

/**
 * Sets a new password with a reset link: the link is used up, every session of the account is
 * revoked (the caller signs this browser in afresh), and the address counts as verified (the
 * link proved it is theirs). Null when the link is malformed, unknown, expired, used, or belongs
 * to another account than the one signed in here (`viewerId`).
 */
export async function resetPasswordWithLink(token: string, newPassword: string, viewerId: string | null): Promise<{ userId: string; email: string } | null> {
  if (!LINK_TOKEN_PATTERN.test(token)) return null;
  // Hashed before the transaction: scrypt takes a while and needs no row lock.
  const passwordHash = await (await getAuth().$context).password.hash(newPassword);
  return getPrisma().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ value: string }[]>`
      SELECT value FROM verification WHERE identifier = ${linkIdentifier("reset-password", token)} AND expires_at > now() FOR UPDATE`;
    const userId = rows[0]?.value;
    if (!userId || (viewerId !== null && viewerId !== userId)) return null;
    await tx.verification.deleteMany({ where: { identifier: { startsWith: "reset-password:" }, value: userId } });
    const updated = await tx.account.updateMany({ where: { userId, providerId: "credential" }, data: { password: passwordHash } });
    if (updated.count === 0) {
      await tx.account.create({ data: { id: randomUUID(), accountId: userId, providerId: "credential", userId, password: passwordHash } });
    }
    await tx.session.deleteMany({ where: { userId } });
    const user = await tx.user.update({ where: { id: userId }, data: { emailVerified: true }, select: { id: true, email: true } });
    return { userId: user.id, email: user.email };
  });
}

/**
 * Mails a verification link for the account's current address (at sign-up and from the
 * profile's "resend"). A new link replaces the older ones; none is sent for a verified address.
 */
export async function sendVerificationMail(userId: string, fallbackLocale: AppLocale, db?: Prisma.TransactionClient): Promise<boolean> {
  const run = async (tx: Prisma.TransactionClient) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, name: true, email: true, preferredLocale: true, emailVerified: true } });
    if (!user || user.emailVerified) return false;
    const token = newLinkToken();
    const locale = mailLocale(user.preferredLocale, fallbackLocale);
    const t = translatorFor(locale, "Mail");
    const body = renderMail(locale, {
      heading: t("verifyEmail.heading"),
      paragraphs: [t("verifyEmail.greeting", { name: user.name }), t("verifyEmail.intro", { email: user.email }), t("verifyEmail.expiry", { hours: VERIFY_LINK_HOURS })],
      action: { label: t("verifyEmail.action"), url: linkUrl(locale, "verify-email", token) },
      footer: [t("verifyEmail.ignore")],
    });
    await tx.verification.deleteMany({ where: { identifier: { startsWith: "verify-email:" }, value: { startsWith: `${user.id}:` } } });
    // The value names the address too: a link sent before a change of address verifies nothing.
    await tx.verification.create({
      data: { id: randomUUID(), identifier: linkIdentifier("verify-email", token), value: `${user.id}:${user.email}`, expiresAt: new Date(Date.now() + VERIFY_LINK_HOURS * 3_600_000) },
    });
    await queueMail({ to: user.email, toName: headerSafeName(user.name), locale, subject: t("verifyEmail.subject"), kind: "verify-email", userId: user.id, ...body }, tx);
    return true;
  };
  return db ? run(db) : getPrisma().$transaction(run);
}

/**
 * Confirms the address with a verification link and uses the link up. Null when the link is
 * malformed, unknown, expired, used, for an address the account no longer has, or for another
 * account than the one signed in here (`viewerId`).
 */
export async function verifyEmailWithLink(token: string, viewerId: string | null): Promise<{ email: string } | null> {
  if (!LINK_TOKEN_PATTERN.test(token)) return null;
  return getPrisma().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ value: string }[]>`
      SELECT value FROM verification WHERE identifier = ${linkIdentifier("verify-email", token)} AND expires_at > now() FOR UPDATE`;
    const value = rows[0]?.value;
    if (!value) return null;
    const userId = value.split(":", 1)[0]!;
    if (viewerId !== null && viewerId !== userId) return null;
    const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true } });
    if (!user || value !== `${userId}:${user.email}`) return null;
    await tx.verification.deleteMany({ where: { identifier: { startsWith: "verify-email:" }, value: { startsWith: `${userId}:` } } });
    await tx.user.update({ where: { id: userId }, data: { emailVerified: true } });
    return { email: user.email };
  });
}
