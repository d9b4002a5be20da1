import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { loadSignedInPage } from "@/features/accounts/loaders";
import { textModeSchema } from "@/features/articles/schema";
import { PreviewBanner } from "@/features/authoring/components/preview-banner";
import { draftReaderArticle, loadEditorArticle, loadEditorPageTitle } from "@/features/authoring/loaders";
import { Reader } from "@/features/reading/components/reader";
import { routing } from "@/i18n/routing";

// A draft as the reader will show it: the real Reader with the draft's text, no notes, never
// cached or indexed, for those who may edit the article only (anyone else: 404).
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; id: string }>; searchParams: Promise<{ text?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale, id } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Authoring" });
  const title = await loadEditorPageTitle(locale, id);
  return { title: t("previewTitle", { title: title ?? "" }), robots: { index: false, follow: false } };
}

export default async function PreviewPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { text } = await searchParams;
  const { locale, viewer } = await loadSignedInPage(params, `/editor/${id}/preview`);
  const data = await loadEditorArticle({ id: viewer.id, role: viewer.role }, id);
  if (!data) notFound();
  const parsed = textModeSchema.safeParse(Array.isArray(text) ? text[0] : text);
  const mode = parsed.success ? parsed.data : locale;
  const base = `/${locale}/editor/${id}/preview`;
  const query = parsed.success ? `?text=${mode}` : "";
  return (
    <PageShell clientMessages={["AccountData", "Export", "HeatMap", "Live", "Moderation", "Notes", "PassageChanged", "Reader"]} locale={locale} wide={mode === "both"} localeHrefs={{ en: `/en/editor/${id}/preview${query}`, ja: `/ja/editor/${id}/preview${query}` }}>
      <PreviewBanner locale={locale} articleId={id} />
      <Reader
        article={draftReaderArticle(data.article, data.draft.document)}
        locale={locale}
        mode={mode}
        overlay={{ counts: {}, openQuestions: {}, unread: {}, segments: {}, orphanIds: [], readAt: 0 }}
        previewHref={base}
      />
    </PageShell>
  );
}
