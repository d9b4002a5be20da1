import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { PageShell } from "@/components/page-shell";
import { loadSignedInPage } from "@/features/accounts/loaders";
import { GroupsOverview } from "@/features/groups/components/groups-overview";
import { loadMyGroups } from "@/features/groups/loaders";
import { routing } from "@/i18n/routing";

// Per-user: rendered for every request from the session cookie.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Meta" });
  return { title: t("groupsTitle"), robots: { index: false } };
}

export default async function GroupsPage({ params }: Props) {
  const { locale, viewer } = await loadSignedInPage(params, "/groups");
  const groups = await loadMyGroups(viewer.id);
  return (
    <PageShell clientMessages={["Account", "Api", "Groups"]} locale={locale} localeHrefs={{ en: "/en/groups", ja: "/ja/groups" }}>
      <GroupsOverview locale={locale} groups={groups} />
    </PageShell>
  );
}
