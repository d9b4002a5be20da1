import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { loadSignedInPage } from "@/features/accounts/loaders";
import { ArticleEditor } from "@/features/authoring/components/article-editor";
import { loadEditorArticle, loadEditorPageTitle } from "@/features/authoring/loaders";
import { routing } from "@/i18n/routing";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale, id } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Authoring" });
  const title = await loadEditorPageTitle(locale, id);
  return { title: title ? t("editTitle", { title }) : t("listTitle"), robots: { index: false } };
}

export default async function EditArticlePage({ params }: Props) {
  const { id } = await params;
  const { locale, viewer } = await loadSignedInPage(params, `/editor/${id}`);
  const data = await loadEditorArticle({ id: viewer.id, role: viewer.role }, id);
  // Not editable by this viewer, or no such article: the ordinary 404, whatever the reason.
  if (!data) notFound();
  return (
    <PageShell locale={locale} wide localeHrefs={{ en: `/en/editor/${id}`, ja: `/ja/editor/${id}` }}>
      <ArticleEditor article={data.article} draft={data.draft} groupId={data.article.groupId} groupName={data.groupName} mayPromote={data.mayPromote} />
    </PageShell>
  );
}
