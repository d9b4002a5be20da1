import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { AdminShell } from "@/features/admin/components/admin-shell";
import { loadAdminPage } from "@/features/admin/loaders";
import { MailView } from "@/features/mail/components/mail-view";
import { getOutboxMail } from "@/features/mail/data";
import { routing } from "@/i18n/routing";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "AdminMail" });
  return { title: t("title"), robots: { index: false } };
}

export default async function AdminMailMessagePage({ params }: Props) {
  const { id } = await params;
  const { locale, sections } = await loadAdminPage(params, `/admin/mail/${encodeURIComponent(id)}`, "mail");
  const mail = await getOutboxMail(id);
  if (!mail) notFound();
  return (
    <AdminShell locale={locale} path={`/admin/mail/${mail.id}`} sections={sections} current="mail">
      <MailView locale={locale} mail={mail} />
    </AdminShell>
  );
}
