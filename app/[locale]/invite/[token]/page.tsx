import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { getViewer } from "@/features/accounts/data";
import { InviteView } from "@/features/groups/components/invite-view";
import { loadInvite } from "@/features/groups/loaders";
import { routing } from "@/i18n/routing";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; token: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Meta" });
  // The token is in this page's URL: never index it, never send it on as a Referer.
  return { title: t("inviteTitle"), robots: { index: false }, referrer: "no-referrer" };
}

export default async function InvitePage({ params }: Props) {
  const { locale, token } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const viewer = await getViewer(await headers());
  const state = await loadInvite(token, viewer?.id ?? null);
  const path = `invite/${token}`;
  return (
    <PageShell clientMessages={["Api", "Groups"]} locale={locale} localeHrefs={{ en: `/en/${path}`, ja: `/ja/${path}` }}>
      <InviteView locale={locale} token={token} state={state} signedIn={viewer !== null} />
    </PageShell>
  );
}
