import "server-only";
import { hasLocale } from "next-intl";
import { setRequestLocale } from "next-intl/server";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { redirect } from "@/i18n/navigation";
import { routing, type AppLocale } from "@/i18n/routing";
import { findEmailLinkUser, getViewer, type Viewer } from "./data";
import type { EmailLinkPurpose } from "@/lib/auth/email-links";

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

/**
 * A mailed link's page (reset password, verify email): whether the link can be used. Unknown,
 * expired, used, and another account's links (someone else is signed in here) all come out as
 * `valid: false`, so the page says the same thing for each and leaks nothing.
 */
export async function loadEmailLinkPage(
  params: Promise<{ locale: string }>,
  searchParams: Promise<Record<string, string | string[] | undefined>>,
  purpose: EmailLinkPurpose,
): Promise<{ locale: AppLocale; token: string; valid: boolean }> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const raw = (await searchParams).token;
  const token = typeof raw === "string" ? raw : "";
  const owner = token ? await findEmailLinkUser(purpose, token) : null;
  const viewer = owner ? await getViewer(await headers()) : null;
  return { locale, token, valid: owner !== null && (viewer === null || viewer.id === owner.userId) };
}
