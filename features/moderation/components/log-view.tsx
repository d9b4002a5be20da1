import { getFormatter, getTranslations } from "next-intl/server";
import { Link } from "@/components/link";
import type { AppLocale } from "@/i18n/routing";
import { LOG_PAGE_SIZE, type LogRow } from "../data";
import { logQuerySchema, type LogQuery } from "../schema";
import "./moderation.css";
import { FilterSelect } from "./filter-select";

const actions = logQuerySchema.shape.action.unwrap().options;

export async function LogView({ locale, rows, total, query, groups }: { locale: AppLocale; rows: LogRow[]; total: number; query: LogQuery; groups: { id: string; name: string }[] }) {
  const t = await getTranslations({ locale, namespace: "Moderation" });
  const format = await getFormatter({ locale });
  const pages = Math.max(1, Math.ceil(total / LOG_PAGE_SIZE));
  const filters = Object.fromEntries(Object.entries({ action: query.action, group: query.group, actor: query.actor }).filter(([, v]) => v)) as Record<string, string>;
  const csv = `/api/moderation/log?${new URLSearchParams({ ...filters, format: "csv" })}`;
  const pageHref = (page: number) => ({ pathname: "/moderation/log", query: { ...filters, page: String(page) } });

  return (
    <div className="moderation-page">
      <h1>{t("logTitle")}</h1>
      <p>
        <Link href="/moderation">{t("queueLink")}</Link> · <a href={csv}>{t("exportCsv")}</a>
      </p>
      <form className="moderation-filters" method="get">
        <FilterSelect
          label={t("actionFilter")}
          name="action"
          value={query.action ?? ""}
          any={t("anyValue")}
          options={actions.map((action) => ({ value: action, label: t("actionName", { action }) }))}
        />
        {groups.length > 0 && (
          <FilterSelect
            label={t("groupFilter")}
            name="group"
            value={query.group ?? ""}
            any={t("anyValue")}
            options={groups.map((group) => ({ value: group.id, label: group.name }))}
          />
        )}
        <label>
          {t("actorFilter")}
          <input name="actor" defaultValue={query.actor ?? ""} />
        </label>
        <button type="submit" className="button-secondary">
          {t("filter")}
        </button>
      </form>
      {rows.length === 0 ? (
        <p className="notes-empty">{t("emptyLog")}</p>
      ) : (
        <div className="table-scroll">
          <table className="moderation-log">
            <thead>
              <tr>
                <th scope="col">{t("logColumns.time")}</th>
                <th scope="col">{t("logColumns.actor")}</th>
                <th scope="col">{t("logColumns.action")}</th>
                <th scope="col">{t("logColumns.target")}</th>
                <th scope="col">{t("logColumns.change")}</th>
                <th scope="col">{t("logColumns.publicReason")}</th>
                <th scope="col">{t("logColumns.internalNote")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td>
                    <time dateTime={row.createdAt.toISOString()}>{format.dateTime(row.createdAt, { dateStyle: "medium", timeStyle: "short" })}</time>
                  </td>
                  <td>{row.actor?.name ?? t("console")}</td>
                  <td>{t("actionName", { action: row.action })}</td>
                  <td>{row.noteId ? t("noteTarget", { id: row.noteId.slice(0, 8) }) : (row.targetUser?.name ?? "")}</td>
                  <td>
                    {row.oldStatus} → {row.newStatus}
                  </td>
                  <td>{row.publicReason}</td>
                  <td>{row.internalNote}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pagination" aria-label={t("pageOf", { page: query.page, pages })}>
        {query.page > 1 && <Link href={pageHref(query.page - 1)}>{t("previousPage")}</Link>}
        <span>{t("pageOf", { page: query.page, pages })}</span>
        {query.page < pages && <Link href={pageHref(query.page + 1)}>{t("nextPage")}</Link>}
      </nav>
    </div>
  );
}
