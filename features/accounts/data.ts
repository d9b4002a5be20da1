import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import { lookupViewer, type Viewer } from "@/lib/auth/viewer";

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
