import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { AdminShell } from "@/features/admin/components/admin-shell";
import { GroupsView } from "@/features/admin/components/groups-view";
import { listGroups } from "@/features/admin/data";
import { loadAdminPage } from "@/features/admin/loaders";
import { groupsQuerySchema } from "@/features/admin/schema";
import { routing } from "@/i18n/routing";
import { parseFilterQuery } from "@/lib/http/filter-query";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Admin" });
  return { title: t("groups.heading"), robots: { index: false } };
}

export default async function AdminGroupsPage({ params, searchParams }: Props) {
  const { locale, sections } = await loadAdminPage(params, "/admin/groups", "groups");
  const query = parseFilterQuery(groupsQuerySchema, await searchParams);
  const { groups, total } = await listGroups(query);
  return (
    <AdminShell locale={locale} path="/admin/groups" sections={sections} current="groups">
      <GroupsView locale={locale} groups={groups} total={total} query={query} />
    </AdminShell>
  );
}
