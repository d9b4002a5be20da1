import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { notFound } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { QueueView } from "@/features/moderation/components/queue-view";
import { listQueue } from "@/features/moderation/data";
import { loadModerator } from "@/features/moderation/loaders";
import { queueQuerySchema } from "@/features/moderation/schema";
import { redirect } from "@/i18n/navigation";
import { routing } from "@/i18n/routing";
import { parseFilterQuery } from "@/lib/http/filter-query";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Moderation" });
  return { title: t("queueTitle"), robots: { index: false } };
}

export default async function ModerationQueuePage({ params, searchParams }: Props) {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const { viewer, scopes, groups } = await loadModerator();
  if (!viewer) return redirect({ href: { pathname: "/sign-in", query: { next: `/${locale}/moderation` } }, locale });
  // Not a moderator anywhere: the page does not exist for them.
  if (!scopes) notFound();
  const query = parseFilterQuery(queueQuerySchema, await searchParams);
  const { items, total } = await listQueue(scopes, query);
  return (
    <PageShell clientMessages={["Moderation"]} locale={locale} wide localeHrefs={{ en: "/en/moderation", ja: "/ja/moderation" }}>
      <QueueView locale={locale} items={items} total={total} query={query} scopes={scopes} groups={groups} />
    </PageShell>
  );
}
