import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { notFound } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { LogView } from "@/features/moderation/components/log-view";
import { listLog } from "@/features/moderation/data";
import { loadModerator } from "@/features/moderation/loaders";
import { logQuerySchema } from "@/features/moderation/schema";
import { redirect } from "@/i18n/navigation";
import { routing } from "@/i18n/routing";
import { parseFilterQuery } from "@/lib/http/filter-query";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Moderation" });
  return { title: t("logTitle"), robots: { index: false } };
}

export default async function ModerationLogPage({ params, searchParams }: Props) {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const { viewer, scopes, groups } = await loadModerator();
  if (!viewer) return redirect({ href: { pathname: "/sign-in", query: { next: `/${locale}/moderation/log` } }, locale });
  if (!scopes) notFound();
  const query = parseFilterQuery(logQuerySchema, await searchParams);
  const { rows, total } = await listLog(scopes, query);
  return (
    <PageShell locale={locale} wide localeHrefs={{ en: "/en/moderation/log", ja: "/ja/moderation/log" }}>
      <LogView locale={locale} rows={rows} total={total} query={query} groups={groups} />
    </PageShell>
  );
}
