import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { loadSignedInPage } from "@/features/accounts/loaders";
import { EditorList } from "@/features/authoring/components/editor-list";
import { loadEditorList } from "@/features/authoring/loaders";
import { routing } from "@/i18n/routing";

// Per user: the articles this viewer may edit (drafts included), never cached.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Authoring" });
  return { title: t("listTitle"), robots: { index: false } };
}

export default async function EditorListPage({ params }: Props) {
  const { locale, viewer } = await loadSignedInPage(params, "/editor");
  const data = await loadEditorList({ id: viewer.id, role: viewer.role });
  // Nothing to edit and nothing to create: the same 404 as any page that is not theirs.
  if (!data) notFound();
  return (
    <PageShell locale={locale} localeHrefs={{ en: "/en/editor", ja: "/ja/editor" }}>
      <EditorList locale={locale} {...data} />
    </PageShell>
  );
}
