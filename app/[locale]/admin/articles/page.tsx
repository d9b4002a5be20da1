import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { AdminShell } from "@/features/admin/components/admin-shell";
import { loadAdminPage } from "@/features/admin/loaders";
import { EditorList } from "@/features/authoring/components/editor-list";
import { loadEditorList } from "@/features/authoring/loaders";
import { routing } from "@/i18n/routing";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Admin" });
  return { title: t("nav.articles"), robots: { index: false } };
}

/** The articles part: the editor's own list (drafts, published, unpublished, new article), inside the console. */
export default async function AdminArticlesPage({ params }: Props) {
  const { locale, viewer, sections } = await loadAdminPage(params, "/admin/articles", "articles");
  const data = await loadEditorList({ id: viewer.id, role: viewer.role });
  if (!data) notFound();
  return (
    <AdminShell locale={locale} path="/admin/articles" sections={sections} current="articles">
      <EditorList locale={locale} {...data} />
    </AdminShell>
  );
}
