import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { notFound } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { Reader } from "@/features/reading/components/reader";
import { ArticleJsonLd } from "@/features/articles/components/article-json-ld";
import { loadReaderArticle } from "@/features/articles/loaders";
import { textModeSchema } from "@/features/articles/schema";
import { readerHref, type TextMode } from "@/features/articles/types";
import { buildNoteOverlay } from "@/features/notes/loaders";
import { loadPassageChangedNotes } from "@/features/revisions/loaders";
import { routing, type AppLocale } from "@/i18n/routing";
import { feedAlternate, localizedAlternates } from "@/lib/alternates";
import { FURIGANA_SUFFIX } from "@/lib/reader-rewrite";

// The cached reader page: the same for every reader, signed in or not (ADR 0012).

const OG_LOCALES: Record<AppLocale, string> = { en: "en_US", ja: "ja_JP" };

export type ReaderParams = Promise<{ locale: string; slug: string; mode: string }>;

export async function resolveReader(params: ReaderParams) {
  const { locale, slug, mode: segment } = await params;
  // "{mode}" or "{mode}-furigana" (lib/reader-rewrite.ts).
  const furigana = segment.endsWith(FURIGANA_SUFFIX);
  const parsedMode = textModeSchema.safeParse(furigana ? segment.slice(0, -FURIGANA_SUFFIX.length) : segment);
  if (!hasLocale(routing.locales, locale) || !parsedMode.success) notFound();
  const article = await loadReaderArticle(slug);
  if (!article) notFound();
  return { locale: locale as AppLocale, article, mode: parsedMode.data as TextMode, furigana };
}

export async function readerMetadata(params: ReaderParams): Promise<Metadata> {
  const { locale, article, mode } = await resolveReader(params);
  const t = await getTranslations({ locale, namespace: "Meta" });
  const shown = mode === "both" ? locale : mode;
  const translation =
    article.translations.find((tr) => tr.locale === shown) ??
    article.translations.find((tr) => tr.locale === article.originalLocale);
  const title = translation?.title ?? article.slug;
  return {
    title: t("readerTitle", { title }),
    description: translation?.summary,
    alternates: {
      ...localizedAlternates(locale, (l) => readerHref(l, article.slug), readerHref(locale, article.slug, mode)),
      types: feedAlternate(locale, t("feedTitle")),
    },
    // Shared links (OpenGraph, Twitter cards) and the JSON-LD in the page (ArticleJsonLd).
    openGraph: {
      type: "article",
      title,
      description: translation?.summary,
      url: readerHref(locale, article.slug, mode),
      siteName: t("siteName"),
      locale: OG_LOCALES[locale],
      alternateLocale: routing.locales.filter((l) => l !== locale).map((l) => OG_LOCALES[l]),
      publishedTime: article.publishedAt,
    },
    twitter: { card: "summary", title, description: translation?.summary },
  };
}

export async function ReaderRoute({ params }: { params: ReaderParams }) {
  const { locale, article, mode, furigana } = await resolveReader(params);
  setRequestLocale(locale);
  const [overlay, passageChanged] = await Promise.all([buildNoteOverlay(article, null), loadPassageChangedNotes(article, null)]);
  // Switching the interface language keeps the text being read: UI and text language are
  // independent (a reader of the Japanese text who wants English menus keeps the Japanese text).
  return (
    <PageShell clientMessages={["AccountData", "Export", "HeatMap", "Live", "Moderation", "Notes", "PassageChanged", "Reader"]}
      locale={locale}
      wide={mode === "both"}
      localeHrefs={{
        en: readerHref("en", article.slug, mode, furigana ? { furigana } : {}),
        ja: readerHref("ja", article.slug, mode, furigana ? { furigana } : {}),
      }}
    >
      <ArticleJsonLd article={article} locale={locale} mode={mode} />
      <Reader article={article} locale={locale} mode={mode} furigana={furigana} overlay={overlay} passageChanged={passageChanged} />
    </PageShell>
  );
}
