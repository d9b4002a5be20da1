import { getTranslations } from "next-intl/server";
import { Link } from "@/components/link";
import type { AppLocale } from "@/i18n/routing";
import { AccountMenu } from "./account-menu";
import { LocaleSwitcher } from "./locale-switcher";

export async function SiteHeader({ locale, localeHrefs }: { locale: AppLocale; localeHrefs: Record<AppLocale, string> }) {
  const t = await getTranslations({ locale, namespace: "Header" });
  return (
    <header className="site-header">
      <a href="#main" className="skip-link">
        {t("skipToContent")}
      </a>
      <div className="site-header-inner">
        <Link href="/" className="brand">
          <span lang="ja" className="brand-ja">
            対訳
          </span>
          <span lang="en" className="brand-en">
            Taiyaku
          </span>
        </Link>
        <span className="tagline">{t("tagline")}</span>
        <LocaleSwitcher current={locale} hrefs={localeHrefs} />
        <AccountMenu locale={locale} path={localeHrefs[locale]} />
      </div>
    </header>
  );
}
