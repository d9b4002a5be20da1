import { getFormatter, getTranslations } from "next-intl/server";
import { NoteBody } from "@/components/note-body";
import { articleHref } from "@/features/articles/types";
import { Link } from "@/components/link";
import { isDeletedUserId } from "@/lib/account-data/deleted-user";
import type { AppLocale } from "@/i18n/routing";
import { QUEUE_PAGE_SIZE, type ModeratorScopes, type QueueItem } from "../data";
import type { QueueQuery } from "../schema";
import { actionsFor, flagReasons, queueStatuses } from "../types";
import { NoteActionForm } from "./note-action-form";
import { QueueAnnouncer } from "./queue-announcer";
import "./moderation.css";
import { SuspendForm } from "./suspend-form";
import { looksJapanese } from "@/lib/text/script";
import { FilterSelect } from "./filter-select";


export async function QueueView({
  locale,
  items,
  total,
  query,
  scopes,
  groups,
}: {
  locale: AppLocale;
  items: QueueItem[];
  total: number;
  query: QueueQuery;
  scopes: ModeratorScopes;
  groups: { id: string; name: string }[];
}) {
  const t = await getTranslations({ locale, namespace: "Moderation" });
  const tData = await getTranslations({ locale, namespace: "AccountData" });
  const format = await getFormatter({ locale });
  const pages = Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE));
  const pageHref = (page: number) => ({ pathname: "/moderation", query: { ...query, page: String(page) } as Record<string, string> });

  return (
    <div className="moderation-page">
      <h1>{t("queueTitle")}</h1>
      <p className="lead">{t("queueIntro")}</p>
      <p>
        <Link href="/moderation/log">{t("logLink")}</Link>
      </p>
      <form className="moderation-filters" method="get">
        <FilterSelect
          label={t("statusFilter")}
          name="status"
          value={query.status}
          options={queueStatuses.map((status) => ({ value: status, label: t("statusName", { status }) }))}
        />
        <FilterSelect
          label={t("reasonFilter")}
          name="reason"
          value={query.reason ?? ""}
          any={t("anyValue")}
          options={flagReasons.map((reason) => ({ value: reason, label: t("reasonName", { reason }) }))}
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
          {t("articleFilter")}
          <input name="article" defaultValue={query.article ?? ""} />
        </label>
        <button type="submit" className="button-secondary">
          {t("filter")}
        </button>
      </form>

      <QueueAnnouncer>
      {items.length === 0 ? (
        <p className="notes-empty">{t("emptyQueue")}</p>
      ) : (
        <ol className="moderation-queue">
          {items.map((item) => {
            const title = item.article.translations.find((tr) => tr.locale === locale)?.title ?? item.article.translations[0]?.title ?? item.article.slug;
            const open = item.flags.filter((flag) => !flag.resolvedAt);
            const state = item.purgedAt ? "purged" : item.deletedAt ? "deleted" : item.status;
            return (
              <li key={item.id} className="moderation-item" aria-labelledby={`mod-${item.id}`}>
                <h2 id={`mod-${item.id}`}>
                  <a href={`${articleHref(locale, item.article)}#note-${item.id}`}>{title}</a> · {t("paragraphContext", { number: item.paragraph.position })}
                </h2>
                <p className="moderation-meta">
                  <span>{t("author", { name: isDeletedUserId(item.author.id) ? tData("deletedUser") : item.author.name })}</span>
                  <span>{t("age", { date: format.relativeTime(item.createdAt, new Date()) })}</span>
                  <span>{item.group ? t("inGroup", { name: item.group.name }) : t("publicNote")}</span>
                  <span>{t("statusLabel", { status: state })}</span>
                  {item.lockedAt && <span>{t("lockedLabel")}</span>}
                  <span>{t("flagCount", { count: open.length })}</span>
                </p>
                <div className="moderation-context">
                  {(["en", "ja"] as const).map((lang) => {
                    const text = item.paragraph.texts.find((tx) => tx.locale === lang)?.text;
                    return text ? (
                      <p key={lang} lang={lang} className="moderation-paragraph">
                        {text}
                      </p>
                    ) : null;
                  })}
                </div>
                {item.quoteExact && <blockquote lang={item.locale}>{item.quoteExact}</blockquote>}
                {item.body && <NoteBody body={item.body} lang={looksJapanese(item.body) ? "ja" : "en"} />}
                {item.flags.length > 0 && (
                  <ul className="flag-list">
                    {item.flags.map((flag) => (
                      <li key={flag.id} className={flag.resolvedAt ? "flag-resolved" : undefined}>
                        {t("flaggedBy", { name: flag.user.name, reason: t("reasonName", { reason: flag.reason }) })}
                        {flag.details ? ` — ${flag.details}` : ""}
                      </li>
                    ))}
                  </ul>
                )}
                <NoteActionForm noteId={item.id} version={item.version} actions={actionsFor(item, scopes.admin)} canPurge={scopes.admin} />
                {scopes.site && item.visibility === "public" && !isDeletedUserId(item.author.id) && <SuspendForm userId={item.author.id} name={item.author.name} />}
              </li>
            );
          })}
        </ol>
      )}
      </QueueAnnouncer>
      <nav className="pagination" aria-label={t("pageOf", { page: query.page, pages })}>
        {query.page > 1 && <Link href={pageHref(query.page - 1)}>{t("previousPage")}</Link>}
        <span>{t("pageOf", { page: query.page, pages })}</span>
        {query.page < pages && <Link href={pageHref(query.page + 1)}>{t("nextPage")}</Link>}
      </nav>
    </div>
  );
}
