import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import { lookupViewer, type Viewer } from "@/lib/auth/viewer";
import { LINK_TOKEN_PATTERN, linkIdentifier, type EmailLinkPurpose } from "@/lib/auth/email-links";

export type { Role, Viewer } from "@/lib/auth/viewer";

/**
 * The signed-in user for these request headers, or null (no cookie, expired or forged). A
 * database failure throws (pages and the API answer 503), it never means "signed out".
 */
export async function getViewer(headers: Headers): Promise<Viewer | null> {
  return (await lookupViewer({ headers }))?.viewer ?? null;
}

export async function findUserByEmail(email: string) {
  return getPrisma().user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true, email: true, name: true, role: true } });
}

/**
 * The account a mailed link (password reset, email verification) belongs to, or null when the
 * link is malformed, unknown, expired or used — without using it up: the pages call this to
 * decide between the form and the "this link cannot be used" page.
 */
export async function findEmailLinkUser(purpose: EmailLinkPurpose, token: string): Promise<{ userId: string; email: string } | null> {
  if (!LINK_TOKEN_PATTERN.test(token)) return null;
  const row = await getPrisma().verification.findFirst({
    where: { identifier: linkIdentifier(purpose, token), expiresAt: { gt: new Date() } },
    select: { value: true },
  });
  if (!row) return null;
  const userId = row.value.split(":", 1)[0]!;
  const user = await getPrisma().user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
  // A verification link names the address it was sent to: after a change of address it is void.
  if (!user || (purpose === "verify-email" && row.value !== `${user.id}:${user.email}`)) return null;
  return { userId: user.id, email: user.email };
}

/** Whether the account's address is confirmed (the profile page's email section). */
export async function getEmailStatus(userId: string): Promise<{ email: string; emailVerified: boolean } | null> {
  return getPrisma().user.findUnique({ where: { id: userId }, select: { email: true, emailVerified: true } });
}
