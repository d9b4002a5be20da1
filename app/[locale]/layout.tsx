import type { Metadata, Viewport } from "next";
import { notFound } from "next/navigation";
import { hasLocale, NextIntlClientProvider } from "next-intl";
import { getMessages, getTranslations, setRequestLocale } from "next-intl/server";
import type { ReactNode } from "react";
import { HydrationMarker } from "@/components/hydration-marker";
import { routing } from "@/i18n/routing";
import { siteUrl } from "@/lib/site-url";

/** The message namespaces client components outside a PageShell use (error.tsx). */
const LAYOUT_NAMESPACES = ["Error"] as const;

// No generateStaticParams here: pages are rendered on first request and then cached (see the
// pages' `revalidate`), so `next build` never needs a database.

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  colorScheme: "light dark",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#fbfaf7" },
    { media: "(prefers-color-scheme: dark)", color: "#17181a" },
  ],
};

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Meta" });
  return {
    metadataBase: siteUrl(),
    title: { default: t("siteName"), template: `%s` },
    description: t("siteDescription"),
    applicationName: t("siteName"),
  };
}

export default async function LocaleLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const messages = await getMessages();
  return (
    <html lang={locale}>
      <body>
        {/* Only what error.tsx needs: each page's PageShell hands its own client components theirs
            (components/client-messages.tsx). */}
        <NextIntlClientProvider messages={Object.fromEntries(LAYOUT_NAMESPACES.map((namespace) => [namespace, messages[namespace]]))}>{children}</NextIntlClientProvider>
        <HydrationMarker />
      </body>
    </html>
  );
}
