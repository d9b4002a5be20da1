import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { getViewer } from "@/features/accounts/data";
import { LibrarySearchPage } from "@/features/articles/components/library-search";
import { loadLibrarySearch } from "@/features/articles/loaders";
import { routing } from "@/i18n/routing";

// Per request: results depend on the query string and, for signed-in readers, their visits.
// The cached home page only links here with a GET form (proxy.ts gives this page a nonce).
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const [t, meta] = await Promise.all([getTranslations({ locale, namespace: "Search" }), getTranslations({ locale, namespace: "Meta" })]);
  // Result pages are endless combinations of one library: not for search engines.
  return { title: `${t("title")} — ${meta("siteName")}`, robots: { index: false } };
}

export default async function SearchPage({ params, searchParams }: Props) {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const viewer = await getViewer(await headers());
  const data = await loadLibrarySearch(await searchParams, viewer?.id ?? null);
  return (
    <PageShell locale={locale} localeHrefs={{ en: "/en/search", ja: "/ja/search" }}>
      <LibrarySearchPage locale={locale} data={data} />
    </PageShell>
  );
}
