import "server-only";
import { hasLocale } from "next-intl";
import { setRequestLocale } from "next-intl/server";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { getViewer, type Viewer } from "@/features/accounts/data";
import { redirect } from "@/i18n/navigation";
import { routing, type AppLocale } from "@/i18n/routing";
import { siteRoleAtLeast } from "@/lib/permissions/core";

// Who sees which part of /{locale}/admin (ADR 0034): admins everything; editors only the
// articles part; anyone else who is signed in gets the ordinary 404 (the console does not exist
// for them). Every admin page calls loadAdminPage itself — a layout is no security boundary
// (pages are fetched on their own during client navigation) — and the layout checks too.

export const ADMIN_SECTIONS = ["users", "groups", "articles", "mail", "jobs"] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

/** The sections a site role opens (empty: the console is a 404). */
export function adminSectionsFor(role: Viewer["role"] | null | undefined): AdminSection[] {
  if (siteRoleAtLeast(role, "admin")) return [...ADMIN_SECTIONS];
  if (siteRoleAtLeast(role, "editor")) return ["articles"];
  return [];
}

/**
 * The start of every admin page: unknown locale → 404; signed out → sign-in and back to `path`
 * (below the locale, e.g. "/admin/users"); signed in without `section` (null: the overview, any
 * section) → 404.
 */
export async function loadAdminPage(
  params: Promise<{ locale: string }>,
  path: string,
  section: AdminSection | null,
): Promise<{ locale: AppLocale; viewer: Viewer; sections: AdminSection[] }> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const viewer = await getViewer(await headers());
  if (!viewer) return redirect({ href: { pathname: "/sign-in", query: { next: `/${locale}${path}` } }, locale });
  const sections = adminSectionsFor(viewer.role);
  if (sections.length === 0 || (section !== null && !sections.includes(section))) notFound();
  return { locale, viewer, sections };
}

/** The layout's check: signed-in people without any section get a 404 (signed-out ones are sent to sign-in by the page). */
export async function guardAdminLayout(params: Promise<{ locale: string }>): Promise<void> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  const viewer = await getViewer(await headers());
  if (viewer && adminSectionsFor(viewer.role).length === 0) notFound();
}
