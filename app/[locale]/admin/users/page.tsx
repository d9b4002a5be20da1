import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { AdminShell } from "@/features/admin/components/admin-shell";
import { UsersView } from "@/features/admin/components/users-view";
import { listUsers } from "@/features/admin/data";
import { loadAdminPage } from "@/features/admin/loaders";
import { usersQuerySchema } from "@/features/admin/schema";
import { routing } from "@/i18n/routing";
import { parseFilterQuery } from "@/lib/http/filter-query";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Admin" });
  return { title: t("users.heading"), robots: { index: false } };
}

export default async function AdminUsersPage({ params, searchParams }: Props) {
  const { locale, viewer, sections } = await loadAdminPage(params, "/admin/users", "users");
  const query = parseFilterQuery(usersQuerySchema, await searchParams);
  const { users, total } = await listUsers(query);
  return (
    <AdminShell locale={locale} path="/admin/users" sections={sections} current="users">
      <UsersView locale={locale} users={users} total={total} query={query} viewerId={viewer.id} />
    </AdminShell>
  );
}
