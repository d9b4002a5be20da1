import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { getViewer } from "@/features/accounts/data";
import { readerHref } from "@/features/articles/types";
import { RevisionHistoryPage } from "@/features/revisions/components/revision-history";
import { loadRevisionHistory } from "@/features/revisions/loaders";
import { routing, type AppLocale } from "@/i18n/routing";

// Per request: who may read the article decides whether it exists (a group reading is its
// members' only), and ?from=&to= choose the comparison. proxy.ts gives it a nonce like every
// page it does not cache.
export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ locale: string; slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

async function resolve({ params, searchParams }: Props) {
  const { locale, slug } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  const viewer = await getViewer(await headers());
  const history = await loadRevisionHistory(slug, viewer ? { id: viewer.id, role: viewer.role } : null, await searchParams);
  if (!history) notFound();
  return { locale: locale as AppLocale, history };
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { locale, history } = await resolve(props);
  const [t, meta] = await Promise.all([getTranslations({ locale, namespace: "History" }), getTranslations({ locale, namespace: "Meta" })]);
  const title = history.article.titles[locale] ?? Object.values(history.article.titles)[0] ?? history.article.slug;
  // Old texts of an article are for its readers, not for search engines.
  return { title: `${t("pageTitle", { title })} — ${meta("siteName")}`, robots: { index: false } };
}

/** A group reading's text lives at its own address; a public article's at the reader. */
function articleReaderHref(locale: AppLocale, article: { slug: string; groupId: string | null }): string {
  return article.groupId ? `/${locale}/readings/${article.slug}` : readerHref(locale, article.slug);
}

export default async function HistoryPage(props: Props) {
  const { locale, history } = await resolve(props);
  setRequestLocale(locale);
  const { slug } = history.article;
  return (
    <PageShell locale={locale} localeHrefs={{ en: `/en/articles/${slug}/history`, ja: `/ja/articles/${slug}/history` }}>
      <RevisionHistoryPage history={history} locale={locale} readerHref={articleReaderHref(locale, history.article)} />
    </PageShell>
  );
}
