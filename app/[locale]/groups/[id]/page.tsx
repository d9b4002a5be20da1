import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { getViewer } from "@/features/accounts/data";
import { loadSignedInPage } from "@/features/accounts/loaders";
import { loadArticleList } from "@/features/articles/loaders";
import { GroupView } from "@/features/groups/components/group-view";
import { ExportNotes } from "@/features/note-export/components/export-notes";
import { loadGroup, loadGroupPage } from "@/features/groups/loaders";
import { routing } from "@/i18n/routing";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; id: string }>; searchParams: Promise<{ cursor?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale, id } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Meta" });
  const viewer = await getViewer(await headers());
  const group = viewer ? await loadGroup(id, viewer.id) : null;
  // Outsiders get the generic title: the group's name is for its members.
  return { title: group ? t("groupTitle", { name: group.name }) : t("groupsTitle"), robots: { index: false } };
}

export default async function GroupPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { locale, viewer } = await loadSignedInPage(params, `/groups/${id}`);
  const { cursor } = await searchParams;
  const data = await loadGroupPage(id, viewer.id, locale, Array.isArray(cursor) ? cursor[0] : cursor);
  // Not a member, deleted, or no such group: the same 404 (ADR 0009).
  if (!data) notFound();
  const articles = await loadArticleList();
  return (
    <PageShell clientMessages={["Account", "Api", "Export", "Groups"]} locale={locale} localeHrefs={{ en: `/en/groups/${data.group.id}`, ja: `/ja/groups/${data.group.id}` }}>
      <GroupView locale={locale} viewerId={viewer.id} articles={articles} {...data} />
      <ExportNotes group={{ id: data.group.id, name: data.group.name }} context="group" />
    </PageShell>
  );
}
