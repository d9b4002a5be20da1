import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { PageShell } from "@/components/page-shell";
import { loadSignedInPage } from "@/features/accounts/loaders";
import { NotificationsList } from "@/features/notifications/components/notifications-list";
import { loadNotifications } from "@/features/notifications/loaders";
import { routing } from "@/i18n/routing";

// Per-user: rendered for every request from the session cookie.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Meta" });
  return { title: t("notificationsTitle"), robots: { index: false } };
}

export default async function NotificationsPage({ params }: Props) {
  const { locale, viewer } = await loadSignedInPage(params, "/notifications");
  const t = await getTranslations({ locale, namespace: "Notifications" });
  const { notifications, unread } = await loadNotifications(viewer.id);
  return (
    <PageShell clientMessages={["Notifications"]} locale={locale} localeHrefs={{ en: "/en/notifications", ja: "/ja/notifications" }}>
      <div className="account-page notifications-page">
        <h1>{t("heading")}</h1>
        <p className="lead">{t("intro", { count: unread })}</p>
        <NotificationsList notifications={notifications} unread={unread} />
      </div>
    </PageShell>
  );
}
