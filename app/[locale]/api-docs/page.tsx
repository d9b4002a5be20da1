import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { notFound } from "next/navigation";
import { ROUTE_MODULES } from "@/app/api/openapi.json/route-modules";
import { PageShell } from "@/components/page-shell";
import { ApiReference } from "@/features/api-docs/components/api-reference";
import { loadApiDescription } from "@/features/api-docs/loaders";
import { routing } from "@/i18n/routing";

// The API reference (ADR 0032): /api/docs redirects here in the caller's language. Rendered per
// request like every page that is not the reader or the list (proxy.ts gives it a nonce); the
// document itself is built once per process.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const [t, meta] = await Promise.all([getTranslations({ locale, namespace: "ApiDocs" }), getTranslations({ locale, namespace: "Meta" })]);
  return { title: `${t("metaTitle")} — ${meta("siteName")}`, alternates: { languages: { en: "/en/api-docs", ja: "/ja/api-docs" } } };
}

export default async function ApiDocsPage({ params }: Props) {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const { document } = await loadApiDescription(ROUTE_MODULES);
  return (
    <PageShell locale={locale} localeHrefs={{ en: "/en/api-docs", ja: "/ja/api-docs" }}>
      <ApiReference locale={locale} document={document} />
    </PageShell>
  );
}
