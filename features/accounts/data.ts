import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import { getAuth } from "./auth";

export type Role = "member" | "moderator" | "admin";
export type Viewer = { id: string; name: string; email: string; role: Role; preferredLocale: string | null };

/** The signed-in user for these request headers, or null (no cookie, expired or forged). */
export async function getViewer(headers: Headers): Promise<Viewer | null> {
  const session = await getAuth().api.getSession({ headers }).catch(() => null);
  if (!session) return null;
  const user = session.user as typeof session.user & { role?: string; preferredLocale?: string | null };
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role === "admin" || user.role === "moderator" ? user.role : "member",
    preferredLocale: user.preferredLocale ?? null,
  };
}

export async function findUserByEmail(email: string) {
  return getPrisma().user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true, email: true, name: true, role: true } });
}
