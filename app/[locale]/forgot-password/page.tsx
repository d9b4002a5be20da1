import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { notFound } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { ForgotPasswordForm } from "@/features/accounts/components/forgot-password-form";
import { Link } from "@/components/link";
import { routing } from "@/i18n/routing";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "PasswordReset" });
  return { title: t("requestTitle"), robots: { index: false } };
}

export default async function ForgotPasswordPage({ params }: Props) {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const t = await getTranslations({ locale, namespace: "PasswordReset" });
  return (
    <PageShell clientMessages={["Account", "Api", "PasswordReset"]} locale={locale} localeHrefs={{ en: "/en/forgot-password", ja: "/ja/forgot-password" }}>
      <div className="account-page">
        <h1>{t("requestTitle")}</h1>
        <p className="lead">{t("requestIntro")}</p>
        <ForgotPasswordForm />
        <p className="account-switch">
          <Link href="/sign-in">{t("backToSignIn")}</Link>
        </p>
      </div>
    </PageShell>
  );
}
