import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { AdminShell } from "@/features/admin/components/admin-shell";
import { loadAdminPage } from "@/features/admin/loaders";
import { OutboxView } from "@/features/mail/components/outbox-view";
import { listOutbox } from "@/features/mail/data";
import { routing } from "@/i18n/routing";
import { smtpUrl } from "@/lib/mail/mailer";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "AdminMail" });
  return { title: t("title"), robots: { index: false } };
}

export default async function AdminMailPage({ params, searchParams }: Props) {
  const { locale, sections } = await loadAdminPage(params, "/admin/mail", "mail");
  const raw = (await searchParams).before;
  const before = typeof raw === "string" && !Number.isNaN(Date.parse(raw)) ? new Date(raw) : null;
  const { items, nextBefore } = await listOutbox(before);
  return (
    <AdminShell locale={locale} path="/admin/mail" sections={sections} current="mail">
      <OutboxView locale={locale} items={items} nextBefore={nextBefore} smtp={smtpUrl() !== null} />
    </AdminShell>
  );
}
