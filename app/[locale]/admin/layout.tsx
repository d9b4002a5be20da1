import type { ReactNode } from "react";
import { guardAdminLayout } from "@/features/admin/loaders";

// Per user, never cached: who may see the console is decided per request.
export const dynamic = "force-dynamic";

/**
 * The admin console's guard: signed-in people whose role opens no section get the ordinary 404.
 * Each page checks its own section again (loadAdminPage) and draws the console's navigation.
 */
export default async function AdminLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  await guardAdminLayout(params);
  return children;
}
