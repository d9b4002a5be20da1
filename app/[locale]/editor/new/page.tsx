import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { loadSignedInPage } from "@/features/accounts/loaders";
import { ArticleEditor } from "@/features/authoring/components/article-editor";
import { emptyDocument } from "@/features/authoring/components/editor-state";
import { loadNewArticle } from "@/features/authoring/loaders";
import { routing } from "@/i18n/routing";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ group?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Authoring" });
  return { title: t("newTitle"), robots: { index: false } };
}

export default async function NewArticlePage({ params, searchParams }: Props) {
  const { group } = await searchParams;
  const groupId = (Array.isArray(group) ? group[0] : group) || null;
  const { locale, viewer } = await loadSignedInPage(params, groupId ? `/editor/new?group=${encodeURIComponent(groupId)}` : "/editor/new");
  const allowed = await loadNewArticle({ id: viewer.id, role: viewer.role }, groupId);
  if (!allowed) notFound();
  const today = new Date().toISOString().slice(0, 10);
  const query = allowed.group ? `?group=${allowed.group.id}` : "";
  return (
    <PageShell locale={locale} wide localeHrefs={{ en: `/en/editor/new${query}`, ja: `/ja/editor/new${query}` }}>
      <ArticleEditor
        article={null}
        draft={{ document: emptyDocument(today, locale), version: 0, updatedAt: new Date().toISOString(), updatedBy: null }}
        groupId={allowed.group?.id ?? null}
        groupName={allowed.group?.name ?? null}
        mayPromote={false}
      />
    </PageShell>
  );
}
