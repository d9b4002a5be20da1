import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { notFound } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { getViewer } from "@/features/accounts/data";
import { loadGroupReading } from "@/features/articles/loaders";
import { resolveTextMode } from "@/features/articles/schema";
import { articleHref } from "@/features/articles/types";
import { GroupReadingBanner } from "@/features/groups/components/group-reading-banner";
import { loadGroup } from "@/features/groups/loaders";
import { Reader } from "@/features/reading/components/reader";
import { loadViewerOverlay } from "@/features/reading/loaders";
import { redirect } from "@/i18n/navigation";
import { routing } from "@/i18n/routing";
import { LAYERS_COOKIE } from "@/lib/layers";
import { FURIGANA_COOKIE, furiganaChoice } from "@/lib/reader-rewrite";

// A group reading (ADR 0019): the same Reader as the public page, rendered per request for the
// group's current members only — never cached, since membership is checked on every read.
// Anyone else, signed in or not, gets the ordinary 404; a reading since made public moves to its
// public address.
export const dynamic = "force-dynamic";

/** One session lookup per request, shared by the metadata and the page. */
const currentViewer = cache(async () => getViewer(await headers()));

type Props = { params: Promise<{ locale: string; slug: string }>; searchParams: Promise<{ text?: string | string[]; furigana?: string | string[] }> };

async function resolveReading({ params, searchParams }: Props) {
  const { locale, slug } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  const { text, furigana: furiganaParam } = await searchParams;
  const mode = resolveTextMode(Array.isArray(text) ? text[0] : text, locale);
  // Rendered per request: the remembered choice applies directly, no redirect needed.
  const furigana = furiganaChoice((Array.isArray(furiganaParam) ? furiganaParam[0] : furiganaParam) ?? null, (await cookies()).get(FURIGANA_COOKIE)?.value).on;
  const viewer = await currentViewer();
  const article = await loadGroupReading(slug, viewer?.id ?? null);
  if (!article) notFound();
  if (article.groupId === null || !viewer) {
    // A public article (a reading since promoted): its one address is the public reader's.
    return redirect({ href: { pathname: `/articles/${article.slug}`, query: mode === locale ? {} : { text: mode } }, locale });
  }
  const group = await loadGroup(article.groupId, viewer.id);
  // Read per request above, so a group deleted meanwhile is the same 404.
  if (!group) notFound();
  return { locale, mode, furigana, viewer, article: { ...article, groupId: article.groupId }, group };
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { locale, mode, article } = await resolveReading(props);
  const t = await getTranslations({ locale, namespace: "Meta" });
  const shown = mode === "both" ? locale : mode;
  const translation = article.translations.find((tr) => tr.locale === shown) ?? article.translations.find((tr) => tr.locale === article.originalLocale);
  // Members only: nothing for search engines, link previews or feeds.
  return { title: t("readerTitle", { title: translation?.title ?? article.slug }), robots: { index: false, follow: false } };
}

export default async function GroupReadingPage(props: Props) {
  const { locale, mode, furigana, viewer, article, group } = await resolveReading(props);
  setRequestLocale(locale);
  const overlay = await loadViewerOverlay(article, viewer.id, (await cookies()).get(LAYERS_COOKIE)?.value);
  return (
    <PageShell clientMessages={["AccountData", "Export", "HeatMap", "Live", "Moderation", "Notes", "PassageChanged", "Reader"]} locale={locale} wide={mode === "both"} localeHrefs={{ en: articleHref("en", article, mode, furigana ? { furigana } : {}), ja: articleHref("ja", article, mode, furigana ? { furigana } : {}) }}>
      <GroupReadingBanner locale={locale} group={group} />
      <Reader article={article} locale={locale} mode={mode} furigana={furigana} overlay={overlay} />
    </PageShell>
  );
}
