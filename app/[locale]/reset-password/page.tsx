import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { PageShell } from "@/components/page-shell";
import { ResetPasswordForm } from "@/features/accounts/components/reset-password-form";
import { loadEmailLinkPage } from "@/features/accounts/loaders";
import { Link } from "@/components/link";
import { routing } from "@/i18n/routing";

// The link's token decides what this page shows: never cached.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "PasswordReset" });
  return { title: t("resetTitle"), robots: { index: false } };
}

export default async function ResetPasswordPage({ params, searchParams }: Props) {
  const { locale, token, valid } = await loadEmailLinkPage(params, searchParams, "reset-password");
  const t = await getTranslations({ locale, namespace: "PasswordReset" });
  // The language switcher drops the token: it must not travel further than this page.
  return (
    <PageShell clientMessages={["Account", "Api", "PasswordReset"]} locale={locale} localeHrefs={{ en: "/en/forgot-password", ja: "/ja/forgot-password" }}>
      <div className="account-page">
        {valid ? (
          <>
            <h1>{t("resetTitle")}</h1>
            <p className="lead">{t("resetIntro")}</p>
            <ResetPasswordForm token={token} />
          </>
        ) : (
          <div data-testid="link-invalid">
            <h1>{t("invalidTitle")}</h1>
            <p className="lead">{t("invalidBody")}</p>
            <p>
              <Link href="/forgot-password">{t("requestNew")}</Link>
            </p>
          </div>
        )}
      </div>
    </PageShell>
  );
}
