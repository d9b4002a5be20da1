import { getLocale, getTranslations } from "next-intl/server";
import { PageShell } from "@/components/page-shell";
import { Link } from "@/components/link";
import { hasLocale } from "next-intl";
import { routing } from "@/i18n/routing";

export default async function LocaleNotFound() {
  const requested = await getLocale();
  const locale = hasLocale(routing.locales, requested) ? requested : routing.defaultLocale;
  const t = await getTranslations({ locale, namespace: "NotFound" });
  const meta = await getTranslations({ locale, namespace: "Meta" });
  return (
    <PageShell locale={locale} localeHrefs={{ en: "/en", ja: "/ja" }}>
      <title>{meta("notFoundTitle")}</title>
      <h1>{t("heading")}</h1>
      <p>{t("body")}</p>
      <p>
        <Link href="/" locale={locale}>
          {t("home")}
        </Link>
      </p>
    </PageShell>
  );
}
