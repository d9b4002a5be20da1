import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { notFound } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { SignInForm } from "@/features/accounts/components/sign-in-form";
import { safeNextPath } from "@/features/accounts/schema";
import { Link } from "@/components/link";
import { routing } from "@/i18n/routing";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ next?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Meta" });
  return { title: t("signInTitle"), robots: { index: false } };
}

export default async function SignInPage({ params, searchParams }: Props) {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const { next: rawNext } = await searchParams;
  const next = safeNextPath(Array.isArray(rawNext) ? rawNext[0] : rawNext, locale);
  const t = await getTranslations({ locale, namespace: "Account" });
  const tr = await getTranslations({ locale, namespace: "PasswordReset" });
  const query = `?next=${encodeURIComponent(next)}`;
  return (
    <PageShell clientMessages={["Account", "Api"]} locale={locale} localeHrefs={{ en: `/en/sign-in${query}`, ja: `/ja/sign-in${query}` }}>
      <div className="account-page">
        <h1>{t("signInHeading")}</h1>
        <p className="lead">{t("signInIntro")}</p>
        <SignInForm next={next} />
        <p className="account-switch">
          <Link href="/forgot-password" data-testid="forgot-password-link">
            {tr("forgotLink")}
          </Link>
        </p>
        <p className="account-switch">
          {t("noAccount")}{" "}
          <Link href={{ pathname: "/sign-up", query: { next } }} data-testid="to-sign-up">
            {t("toSignUp")}
          </Link>
        </p>
      </div>
    </PageShell>
  );
}
