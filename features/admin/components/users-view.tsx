import { getFormatter, getTranslations } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";
import { SITE_ROLES } from "@/lib/permissions/core";
import type { AdminUserRow } from "../data";
import { ADMIN_PAGE_SIZE, userStatuses, type UsersQuery } from "../schema";
import { AdminAnnouncer } from "./admin-announcer";
import { Pagination } from "./pagination";
import { UserActions } from "./user-actions";

/** Users: search by name or email, filter by role and status, and each account's actions. */
export async function UsersView({ locale, users, total, query, viewerId }: { locale: AppLocale; users: AdminUserRow[]; total: number; query: UsersQuery; viewerId: string }) {
  const t = await getTranslations({ locale, namespace: "Admin" });
  const format = await getFormatter({ locale });
  const filters = Object.fromEntries(Object.entries({ q: query.q, role: query.role, status: query.status }).filter(([, v]) => v)) as Record<string, string>;
  return (
    <>
      <h1>{t("users.heading")}</h1>
      <form className="admin-filters" method="get" role="search" aria-label={t("users.searchLabel")}>
        <label>
          {t("users.search")}
          <input type="search" name="q" defaultValue={query.q} maxLength={200} />
        </label>
        <label>
          {t("users.role")}
          <select name="role" defaultValue={query.role ?? ""}>
            <option value="">{t("any")}</option>
            {SITE_ROLES.map((role) => (
              <option key={role} value={role}>
                {t("roleName", { role })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("users.status")}
          <select name="status" defaultValue={query.status ?? ""}>
            <option value="">{t("any")}</option>
            {userStatuses.map((status) => (
              <option key={status} value={status}>
                {t("statusName", { status })}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button-secondary">
          {t("filter")}
        </button>
      </form>
      <p role="status">{t("users.count", { total })}</p>
      <AdminAnnouncer>
        {users.length > 0 && (
          <div className="admin-scroll">
            <table className="admin-table" data-testid="admin-users">
              <thead>
                <tr>
                  <th scope="col">{t("users.columns.name")}</th>
                  <th scope="col">{t("users.columns.role")}</th>
                  <th scope="col">{t("users.columns.status")}</th>
                  <th scope="col">{t("users.columns.notes")}</th>
                  <th scope="col">{t("users.columns.lastActive")}</th>
                  <th scope="col">{t("users.columns.joined")}</th>
                  <th scope="col">{t("users.columns.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {users.map((user) => (
                  <tr key={user.id} data-testid="admin-user" data-email={user.email}>
                    <th scope="row">
                      {user.name} {user.id === viewerId && <span className="admin-badge">{t("users.you")}</span>}
                      <br />
                      <span>{user.email}</span>{" "}
                      <span className="admin-badge">{user.emailVerified ? t("users.verified") : t("users.unverified")}</span>
                    </th>
                    <td data-testid="admin-user-role">{t("roleName", { role: user.role })}</td>
                    <td>
                      {user.suspension
                        ? user.suspension.endsAt
                          ? t("users.suspendedUntil", { date: format.dateTime(new Date(user.suspension.endsAt), { dateStyle: "medium", timeStyle: "short" }) })
                          : t("users.suspendedIndefinitely")
                        : t("statusName", { status: "active" })}
                    </td>
                    <td className="number">{format.number(user.notesCount)}</td>
                    <td>
                      {user.lastActiveAt ? (
                        <time dateTime={user.lastActiveAt.toISOString()}>{format.dateTime(user.lastActiveAt, { dateStyle: "medium", timeStyle: "short" })}</time>
                      ) : (
                        t("users.never")
                      )}
                    </td>
                    <td>
                      <time dateTime={user.createdAt.toISOString()}>{format.dateTime(user.createdAt, { dateStyle: "medium" })}</time>
                    </td>
                    <td>
                      <UserActions
                        user={{ id: user.id, name: user.name, role: user.role, emailVerified: user.emailVerified, suspended: user.suspension !== null }}
                        self={user.id === viewerId}
                        roles={SITE_ROLES}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </AdminAnnouncer>
      <Pagination locale={locale} path="/admin/users" filters={filters} page={query.page} pages={Math.max(1, Math.ceil(total / ADMIN_PAGE_SIZE))} />
    </>
  );
}
