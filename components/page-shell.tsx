import type { ReactNode } from "react";
import type { AppLocale } from "@/i18n/routing";
import { SiteHeader } from "./site-header";

/** Header + main landmark shared by every page; each page says where the other language lives. */
export function PageShell({
  locale,
  localeHrefs,
  children,
  wide = false,
}: {
  locale: AppLocale;
  localeHrefs: Record<AppLocale, string>;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <>
      <SiteHeader locale={locale} localeHrefs={localeHrefs} />
      <main id="main" tabIndex={-1} className={wide ? "main main-wide" : "main"}>
        {children}
      </main>
    </>
  );
}
