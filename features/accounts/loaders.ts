import "server-only";
import { hasLocale } from "next-intl";
import { setRequestLocale } from "next-intl/server";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { redirect } from "@/i18n/navigation";
import { routing, type AppLocale } from "@/i18n/routing";
import { getViewer, type Viewer } from "./data";

/**
 * The start of every page for signed-in readers only: an unknown locale is a 404, and a
 * signed-out visitor goes to sign-in and comes back to `path` (without the locale prefix).
 */
export async function loadSignedInPage(params: Promise<{ locale: string }>, path: string): Promise<{ locale: AppLocale; viewer: Viewer }> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const viewer = await getViewer(await headers());
  if (!viewer) return redirect({ href: { pathname: "/sign-in", query: { next: `/${locale}${path}` } }, locale });
  return { locale, viewer };
}
