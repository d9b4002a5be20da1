import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { notFound } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { UnsubscribeButton } from "@/features/notifications/components/unsubscribe-button";
import { loadUnsubscribeLink } from "@/features/notifications/loaders";
import { routing } from "@/i18n/routing";

// The link in every notification mail (ADR 0035): works signed out; per request (the token).
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ token?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "MailDigest" });
  // The token is in this page's URL: never index it, never send it on as a Referer.
  return { title: t("unsubscribe.title"), robots: { index: false }, referrer: "no-referrer" };
}

export default async function UnsubscribePage({ params, searchParams }: Props) {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const t = await getTranslations({ locale, namespace: "MailDigest" });
  const raw = (await searchParams).token;
  const link = loadUnsubscribeLink(typeof raw === "string" ? raw : undefined);
  const query = link ? `?token=${encodeURIComponent(link.token)}` : "";
  return (
    <PageShell clientMessages={["Api", "MailDigest"]} locale={locale} localeHrefs={{ en: `/en/unsubscribe${query}`, ja: `/ja/unsubscribe${query}` }}>
      <div className="account-page">
        <h1>{link ? t("unsubscribe.heading") : t("unsubscribe.invalidHeading")}</h1>
        {link ? <UnsubscribeButton token={link.token} scope={link.scope} /> : <p data-testid="unsubscribe-invalid">{t("unsubscribe.invalidBody")}</p>}
      </div>
    </PageShell>
  );
}
