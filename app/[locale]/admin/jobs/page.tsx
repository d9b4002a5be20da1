import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { AdminShell } from "@/features/admin/components/admin-shell";
import { loadAdminPage } from "@/features/admin/loaders";
import { JobsView } from "@/features/mail/components/jobs-view";
import { getQueueState } from "@/features/mail/data";
import { routing } from "@/i18n/routing";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "AdminJobs" });
  return { title: t("title"), robots: { index: false } };
}

export default async function AdminJobsPage({ params }: Props) {
  const { locale, sections } = await loadAdminPage(params, "/admin/jobs", "jobs");
  const state = await getQueueState();
  return (
    <AdminShell locale={locale} path="/admin/jobs" sections={sections} current="jobs">
      <JobsView locale={locale} state={state} />
    </AdminShell>
  );
}
