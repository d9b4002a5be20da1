import "server-only";
import { getPrisma } from "@/lib/db/prisma";

/** Marks one of the user's notifications read (someone else's id: false, answered as 404). */
export async function markNotificationRead(userId: string, id: string): Promise<boolean> {
  const result = await getPrisma().notification.updateMany({ where: { id, userId }, data: { readAt: new Date() } });
  if (result.count > 0) return true;
  return false;
}

export async function markAllNotificationsRead(userId: string): Promise<number> {
  const result = await getPrisma().notification.updateMany({ where: { userId, readAt: null }, data: { readAt: new Date() } });
  return result.count;
}
