import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { notFound } from "next/navigation";
import { PageShell } from "@/components/page-shell";
import { SignUpForm } from "@/features/accounts/components/sign-up-form";
import { safeNextPath } from "@/features/accounts/schema";
import { Link } from "@/components/link";
import { routing } from "@/i18n/routing";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ next?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Meta" });
  return { title: t("signUpTitle"), robots: { index: false } };
}

export default async function SignUpPage({ params, searchParams }: Props) {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const { next: rawNext } = await searchParams;
  const next = safeNextPath(Array.isArray(rawNext) ? rawNext[0] : rawNext, locale);
  const t = await getTranslations({ locale, namespace: "Account" });
  const query = `?next=${encodeURIComponent(next)}`;
  return (
    <PageShell clientMessages={["Account", "Api"]} locale={locale} localeHrefs={{ en: `/en/sign-up${query}`, ja: `/ja/sign-up${query}` }}>
      <div className="account-page">
        <h1>{t("signUpHeading")}</h1>
        <p className="lead">{t("signUpIntro")}</p>
        <SignUpForm next={next} />
        <p className="account-switch">
          {t("haveAccount")}{" "}
          <Link href={{ pathname: "/sign-in", query: { next } }} data-testid="to-sign-in">
            {t("toSignIn")}
          </Link>
        </p>
      </div>
    </PageShell>
  );
}
