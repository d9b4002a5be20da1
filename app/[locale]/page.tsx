import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { notFound } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { ArticleList } from "@/features/articles/components/article-list";
import { HomeSearchForm } from "@/features/articles/components/library-search";
import { loadArticleList } from "@/features/articles/loaders";
import { routing } from "@/i18n/routing";
import { feedAlternate, localizedAlternates } from "@/lib/alternates";

// Rendered on first request, then served from the cache; refreshed at most every 5 minutes
// or at once through the "articles" cache tag.
export const revalidate = 300;
export function generateStaticParams() {
  return [];
}

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Meta" });
  return {
    title: `${t("homeTitle")} — ${t("siteName")}`,
    description: t("siteDescription"),
    alternates: { ...localizedAlternates(locale, (l) => `/${l}`), types: feedAlternate(locale, t("feedTitle")) },
  };
}

export default async function HomePage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const [t, articles] = await Promise.all([getTranslations({ locale, namespace: "Home" }), loadArticleList()]);
  return (
    <PageShell clientMessages={["ContinueReading"]} locale={locale} localeHrefs={{ en: "/en", ja: "/ja" }}>
      <h1>{t("heading")}</h1>
      <p className="lead">{t("intro")}</p>
      <HomeSearchForm locale={locale} />
      <ArticleList articles={articles} locale={locale} />
    </PageShell>
  );
}
