import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { PageShell } from "@/components/page-shell";
import type { AppLocale } from "@/i18n/routing";
import type { AdminSection } from "../loaders";
import "./admin.css";

/**
 * Every admin page: the site's header, then the console's navigation (only the sections the
 * viewer's role opens; the audit log is the moderation log, which admins see whole) and the page.
 * `path` is the page's address below the locale ("/admin/users"), for the language switcher.
 */
export async function AdminShell({
  locale,
  path,
  sections,
  current,
  children,
}: {
  locale: AppLocale;
  path: string;
  sections: AdminSection[];
  current: AdminSection | null;
  children: ReactNode;
}) {
  const t = await getTranslations({ locale, namespace: "Admin" });
  const admin = sections.includes("users");
  return (
    <PageShell locale={locale} wide localeHrefs={{ en: `/en${path}`, ja: `/ja${path}` }} clientMessages={["Admin"]}>
      <div className="admin-console">
        <nav className="admin-nav" aria-label={t("navLabel")} data-testid="admin-nav">
          <ul>
            <li>
              <a href={`/${locale}/admin`} aria-current={current === null ? "page" : undefined}>
                {t("nav.overview")}
              </a>
            </li>
            {sections.map((section) => (
              <li key={section}>
                <a href={`/${locale}/admin/${section}`} aria-current={current === section ? "page" : undefined}>
                  {t(`nav.${section}`)}
                </a>
              </li>
            ))}
            {admin && (
              <li>
                <a href={`/${locale}/moderation/log`}>{t("nav.log")}</a>
              </li>
            )}
          </ul>
        </nav>
        <div className="admin-body">{children}</div>
      </div>
    </PageShell>
  );
}
