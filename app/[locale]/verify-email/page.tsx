import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { PageShell } from "@/components/page-shell";
import { VerifyEmailConfirm } from "@/features/accounts/components/verify-email-confirm";
import { loadEmailLinkPage } from "@/features/accounts/loaders";
import { Link } from "@/components/link";
import { routing } from "@/i18n/routing";

// The link's token decides what this page shows: never cached.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "EmailVerification" });
  return { title: t("pageTitle"), robots: { index: false } };
}

export default async function VerifyEmailPage({ params, searchParams }: Props) {
  const { locale, token, valid } = await loadEmailLinkPage(params, searchParams, "verify-email");
  const t = await getTranslations({ locale, namespace: "EmailVerification" });
  // The language switcher drops the token: it must not travel further than this page.
  return (
    <PageShell clientMessages={["Api", "EmailVerification"]} locale={locale} localeHrefs={{ en: "/en/profile", ja: "/ja/profile" }}>
      <div className="account-page">
        <h1>{t("pageTitle")}</h1>
        {valid ? (
          <VerifyEmailConfirm token={token} />
        ) : (
          <div data-testid="link-invalid">
            <h2>{t("invalidTitle")}</h2>
            <p className="lead">{t("invalidBody")}</p>
            <p>
              <Link href="/profile">{t("toProfile")}</Link>
            </p>
          </div>
        )}
      </div>
    </PageShell>
  );
}
