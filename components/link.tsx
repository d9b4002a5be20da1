import { getLocale } from "next-intl/server";
import type { AnchorHTMLAttributes } from "react";
import { getPathname, type Href } from "@/i18n/navigation";
import type { AppLocale } from "@/i18n/routing";
import { ClientLink } from "./client-link";

/**
 * The app's link for server components: `href` is a path without the locale ("/groups", or
 * { pathname, query, hash }), prefixed here with `locale` (default: the page's). Renders the
 * light ClientLink rather than next-intl's Link, which brings next/link to the client (ADR 0038).
 */
export async function Link({ href, locale, ...props }: Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> & { href: Href; locale?: AppLocale }) {
  return <ClientLink href={getPathname({ href, locale: locale ?? ((await getLocale()) as AppLocale) })} {...props} />;
}
