import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { PageShell } from "@/components/page-shell";
import { loadSignedInPage } from "@/features/accounts/loaders";
import { VocabularyList } from "@/features/vocabulary/components/vocabulary-list";
import { loadVocabulary } from "@/features/vocabulary/loaders";
import { vocabularyQuerySchema } from "@/features/vocabulary/schema";
import { routing } from "@/i18n/routing";

// Per-user: the reader's own word list (notes tagged "vocabulary"), rendered per request.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Vocabulary" });
  return { title: t("title"), robots: { index: false } };
}

export default async function VocabularyPage({ params, searchParams }: Props) {
  const { locale, viewer } = await loadSignedInPage(params, "/vocabulary");
  const t = await getTranslations({ locale, namespace: "Vocabulary" });
  const raw = await searchParams;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;
  const query = vocabularyQuerySchema.parse({ article: first(raw.article), lang: first(raw.lang), sort: first(raw.sort) });
  const { entries, articles } = await loadVocabulary(viewer.id, query, locale);
  return (
    <PageShell locale={locale} localeHrefs={{ en: "/en/vocabulary", ja: "/ja/vocabulary" }}>
      <div className="account-page vocabulary-page">
        <h1>{t("heading")}</h1>
        <p className="lead">{t("intro")}</p>
        <VocabularyList locale={locale} entries={entries} articles={articles} query={query} />
      </div>
    </PageShell>
  );
}
