import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations } from "next-intl/server";
import { AdminShell } from "@/features/admin/components/admin-shell";
import { loadAdminPage } from "@/features/admin/loaders";
import { routing } from "@/i18n/routing";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "Admin" });
  return { title: t("title"), robots: { index: false } };
}

export default async function AdminOverviewPage({ params }: Props) {
  const { locale, sections } = await loadAdminPage(params, "/admin", null);
  const t = await getTranslations({ locale, namespace: "Admin" });
  return (
    <AdminShell locale={locale} path="/admin" sections={sections} current={null}>
      <h1>{t("title")}</h1>
      <ul className="admin-sections">
        {sections.map((section) => (
          <li key={section}>
            <a href={`/${locale}/admin/${section}`}>{t(`nav.${section}`)}</a> — {t(`describe.${section}`)}
          </li>
        ))}
      </ul>
    </AdminShell>
  );
}
