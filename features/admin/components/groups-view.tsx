import { getFormatter, getTranslations } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";
import type { AdminGroupRow } from "../data";
import { ADMIN_PAGE_SIZE, groupStatuses, type GroupsQuery } from "../schema";
import { AdminAnnouncer } from "./admin-announcer";
import { Pagination } from "./pagination";
import { RestoreGroupButton } from "./restore-group-button";

/** Groups: every study group, deleted ones included (those first), and restore for the deleted. */
export async function GroupsView({ locale, groups, total, query }: { locale: AppLocale; groups: AdminGroupRow[]; total: number; query: GroupsQuery }) {
  const t = await getTranslations({ locale, namespace: "Admin" });
  const format = await getFormatter({ locale });
  const filters = Object.fromEntries(Object.entries({ q: query.q, status: query.status === "all" ? "" : query.status }).filter(([, v]) => v)) as Record<string, string>;
  return (
    <>
      <h1>{t("groups.heading")}</h1>
      <form className="admin-filters" method="get" role="search" aria-label={t("groups.searchLabel")}>
        <label>
          {t("groups.search")}
          <input type="search" name="q" defaultValue={query.q} maxLength={200} />
        </label>
        <label>
          {t("groups.status")}
          <select name="status" defaultValue={query.status}>
            {groupStatuses.map((status) => (
              <option key={status} value={status}>
                {t("groups.statusName", { status })}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button-secondary">
          {t("filter")}
        </button>
      </form>
      <p role="status">{t("groups.count", { total })}</p>
      <AdminAnnouncer>
        {groups.length > 0 && (
          <div className="admin-scroll">
            <table className="admin-table" data-testid="admin-groups">
              <thead>
                <tr>
                  <th scope="col">{t("groups.columns.name")}</th>
                  <th scope="col">{t("groups.columns.owners")}</th>
                  <th scope="col">{t("groups.columns.members")}</th>
                  <th scope="col">{t("groups.columns.notes")}</th>
                  <th scope="col">{t("groups.columns.created")}</th>
                  <th scope="col">{t("groups.columns.state")}</th>
                  <th scope="col">{t("groups.columns.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {groups.map((group) => (
                  <tr key={group.id} data-testid="admin-group" data-group-id={group.id}>
                    <th scope="row">{group.deletedAt ? group.name : <a href={`/${locale}/groups/${group.id}`}>{group.name}</a>}</th>
                    <td>{group.owners.join(", ")}</td>
                    <td className="number">{format.number(group.membersCount)}</td>
                    <td className="number">{format.number(group.notesCount)}</td>
                    <td>
                      <time dateTime={group.createdAt.toISOString()}>{format.dateTime(group.createdAt, { dateStyle: "medium" })}</time>
                    </td>
                    <td>
                      {group.deletedAt
                        ? t("groups.deletedOn", { date: format.dateTime(group.deletedAt, { dateStyle: "medium", timeStyle: "short" }) })
                        : t("groups.statusName", { status: "live" })}
                    </td>
                    <td>
                      <RestoreGroupButton group={{ id: group.id, name: group.name }} deleted={group.deletedAt !== null} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </AdminAnnouncer>
      <Pagination locale={locale} path="/admin/groups" filters={filters} page={query.page} pages={Math.max(1, Math.ceil(total / ADMIN_PAGE_SIZE))} />
    </>
  );
}
