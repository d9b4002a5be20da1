import { getTranslations } from "next-intl/server";
import { Link } from "@/components/link";
import type { AppLocale } from "@/i18n/routing";

/** Previous / next links of an admin list, keeping its filters. */
export async function Pagination({ locale, path, filters, page, pages }: { locale: AppLocale; path: string; filters: Record<string, string>; page: number; pages: number }) {
  const t = await getTranslations({ locale, namespace: "Admin" });
  if (pages <= 1 && page <= 1) return null;
  const href = (to: number) => ({ pathname: path, query: { ...filters, page: String(to) } });
  return (
    <nav className="pagination" aria-label={t("pageOf", { page, pages })}>
      {page > 1 && <Link href={href(page - 1)}>{t("previousPage")}</Link>}
      <span>{t("pageOf", { page, pages })}</span>
      {page < pages && <Link href={href(page + 1)}>{t("nextPage")}</Link>}
    </nav>
  );
}
