import { getFormatter, getTranslations } from "next-intl/server";
import { articleHref } from "@/features/articles/types";
import type { AppLocale } from "@/i18n/routing";
import { mayInGroup } from "@/lib/permissions/groups";
import type { GroupReading, GroupRole } from "../types";
import "./group-readings.css";

/**
 * The group page's "Readings" (ADR 0019): its members-only articles. Owners and moderators also
 * see the ones not published yet (or any more), each linking to the editor, and may add one.
 */
export async function GroupReadingsSection({
  locale,
  group,
  readings,
}: {
  locale: AppLocale;
  group: { id: string; myRole: GroupRole };
  readings: GroupReading[];
}) {
  const t = await getTranslations({ locale, namespace: "GroupReadings" });
  const format = await getFormatter({ locale });
  const editor = mayInGroup(group.myRole, "editReadings");
  const published = readings.filter((r) => r.status === "published");
  const unpublished = editor ? readings.filter((r) => r.status !== "published") : [];
  return (
    <section className="groups-section" aria-labelledby="group-readings" data-testid="group-readings">
      <h2 id="group-readings">{t("sectionHeading")}</h2>
      <p className="group-meta">{t("sectionLead")}</p>
      {published.length ? (
        <ul className="group-reading-list">
          {published.map((reading) => (
            <li key={reading.id}>
              <a href={articleHref(locale, reading)} lang={reading.titleLocale}>
                {reading.title || reading.slug}
              </a>{" "}
              <span className="group-meta">
                {t("published", { date: format.dateTime(new Date(`${reading.publishedAt}T00:00:00Z`), { dateStyle: "medium", timeZone: "UTC" }) })}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("none")}</p>
      )}
      {editor && (
        <>
          <p>
            <a className="button" href={`/${locale}/editor/new?group=${group.id}`} data-testid="add-reading">
              {t("add")}
            </a>
          </p>
          {unpublished.length > 0 && (
            <>
              <h3>{t("draftsHeading")}</h3>
              <ul className="group-reading-list">
                {unpublished.map((reading) => (
                  <li key={reading.id}>
                    <a href={`/${locale}/editor/${reading.id}`} lang={reading.titleLocale} aria-label={t("edit", { title: reading.title || reading.slug })}>
                      {reading.title || reading.slug}
                    </a>{" "}
                    <span className="group-reading-status">{t(reading.status === "draft" ? "statusDraft" : "statusUnpublished")}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
