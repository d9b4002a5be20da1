import type { ReactNode } from "react";
import type { AppLocale } from "@/i18n/routing";
import type { MessageNamespace } from "@/lib/i18n/translator";
import { ClientMessages } from "./client-messages";
import { SiteHeader } from "./site-header";

/** What the header's client components (account menu, locale switcher) translate. */
export const HEADER_NAMESPACES = ["Header", "Authoring"] as const satisfies readonly MessageNamespace[];

/**
 * Header + main landmark shared by every page; each page says where the other language lives and
 * which message namespaces its client components use (`clientMessages`, see ClientMessages).
 */
export function PageShell({
  locale,
  localeHrefs,
  children,
  wide = false,
  clientMessages = [],
}: {
  locale: AppLocale;
  localeHrefs: Record<AppLocale, string>;
  children: ReactNode;
  wide?: boolean;
  clientMessages?: readonly MessageNamespace[];
}) {
  return (
    <ClientMessages namespaces={[...HEADER_NAMESPACES, ...clientMessages]}>
      <SiteHeader locale={locale} localeHrefs={localeHrefs} />
      <main id="main" tabIndex={-1} className={wide ? "main main-wide" : "main"}>
        {children}
      </main>
    </ClientMessages>
  );
}
