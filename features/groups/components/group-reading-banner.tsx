import { getTranslations } from "next-intl/server";
import { Link } from "@/components/link";
import type { AppLocale } from "@/i18n/routing";
import "./group-readings.css";

/** Above a group reading (ADR 0019): whose it is, and that only the group's members see it. */
export async function GroupReadingBanner({ locale, group }: { locale: AppLocale; group: { id: string; name: string } }) {
  const t = await getTranslations({ locale, namespace: "GroupReadings" });
  return (
    <aside className="group-reading-banner" aria-label={t("badge")} data-testid="group-reading-banner">
      <p>
        <strong>{t("badge")}</strong> — {t("banner", { group: group.name })}{" "}
        <Link href={`/groups/${group.id}`} locale={locale}>
          {t("toGroup")}
        </Link>
      </p>
    </aside>
  );
}
