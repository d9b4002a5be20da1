import { getFormatter, getTranslations } from "next-intl/server";
import type { ArticleSummary } from "@/features/articles/data";
import { articleHref } from "@/features/articles/types";
import { Link } from "@/components/link";
import { isDeletedUserId } from "@/lib/account-data/deleted-user";
import type { AppLocale } from "@/i18n/routing";
import { languageName } from "@/lib/i18n/language-names";
import type { ActivityItem, GroupDetail, GroupMemberDto, GroupReading, GroupRole, InviteDto, ReadingArticle } from "../types";
import { ConfirmAction } from "./confirm-action";
import { GroupForm } from "./group-form";
import { GroupReadingsSection } from "./group-readings";
import { InviteManager } from "./invite-manager";
import { RoleControl } from "./role-control";
import "./groups.css";

type Props = {
  locale: AppLocale;
  viewerId: string;
  group: GroupDetail;
  members: GroupMemberDto[];
  invites: InviteDto[] | null;
  activity: { items: ActivityItem[]; nextCursor: string | null };
  paged: boolean;
  reading: ReadingArticle[];
  /** The group's own readings (ADR 0019). */
  readings: GroupReading[];
  articles: ArticleSummary[];
};

export async function GroupView({ locale, viewerId, group, members, invites, activity, paged, reading, readings, articles }: Props) {
  const t = await getTranslations({ locale, namespace: "Groups" });
  const tData = await getTranslations({ locale, namespace: "AccountData" });
  const format = await getFormatter({ locale });
  const now = new Date();
  const roleLabel: Record<GroupRole, string> = { owner: t("roleOwner"), moderator: t("roleModerator"), member: t("roleMember") };
  const isOwner = group.myRole === "owner";
  const canRemove = (target: GroupMemberDto) =>
    target.id !== viewerId && (isOwner || (group.myRole === "moderator" && target.role === "member"));

  return (
    <div className="groups-page">
      <p className="breadcrumb">
        <Link href="/groups">{t("backToGroups")}</Link>
      </p>
      <h1 data-testid="group-name">{group.name}</h1>
      <p className="lead">{t("yourRole", { role: roleLabel[group.myRole] })}</p>
      {group.myRole !== "member" && (
        <p>
          <Link href={{ pathname: "/moderation", query: { group: group.id } }}>{t("moderationQueue")}</Link>
        </p>
      )}

      <section className="groups-section" aria-labelledby="group-about">
        <h2 id="group-about">{t("aboutHeading")}</h2>
        <p style={{ whiteSpace: "pre-line" }}>{group.description || t("noDescription")}</p>
        <p className="group-meta">
          {group.languageFocus ? t("focus", { language: languageName(group.languageFocus) }) : t("noFocus")}
        </p>
      </section>

      <section className="groups-section" aria-labelledby="group-members">
        <h2 id="group-members">{t("membersHeading")}</h2>
        <ul className="member-list" data-testid="member-list">
          {members.map((member) => (
            <li key={member.id} data-testid="member">
              <div className="member-row">
                <span className="member-name">
                  {member.name} {member.id === viewerId ? t("you") : null}
                </span>
                <span data-testid="member-role">{roleLabel[member.role]}</span>
              </div>
              {(isOwner && member.id !== viewerId) || canRemove(member) ? (
                <div className="member-row" style={{ marginTop: "0.5rem" }}>
                  {isOwner && member.id !== viewerId && (
                    <RoleControl groupId={group.id} userId={member.id} name={member.name} role={member.role} version={group.version} />
                  )}
                  {canRemove(member) && (
                    <ConfirmAction
                      url={`/api/groups/${group.id}/members/${member.id}`}
                      method="DELETE"
                      label={t("remove", { name: member.name })}
                      question={t("removeConfirm", { name: member.name })}
                      danger
                    />
                  )}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      {invites && (
        <section className="groups-section" aria-labelledby="group-invites">
          <h2 id="group-invites">{t("invitesHeading")}</h2>
          <InviteManager groupId={group.id} invites={invites} />
        </section>
      )}

      <GroupReadingsSection locale={locale} group={group} readings={readings} />

      <section className="groups-section" aria-labelledby="group-reading">
        <h2 id="group-reading">{t("readingHeading")}</h2>
        {reading.length ? (
          <ul className="reading-list">
            {reading.map((article) => (
              <li key={article.slug}>
                <a href={articleHref(locale, article)} lang={article.titleLocale}>
                  {article.title}
                </a>{" "}
                <span className="group-meta">{t("readingNotes", { count: article.noteCount })}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("readingNone")}</p>
        )}
        <h3>{t("startReading")}</h3>
        <ul className="reading-list">
          {articles.map((article) => {
            const shown = article.translations.find((tr) => tr.locale === locale) ?? article.translations[0];
            return (
              <li key={article.slug}>
                <Link href={`/articles/${article.slug}`} lang={shown?.locale ?? article.originalLocale}>
                  {shown?.title ?? article.slug}
                </Link>
              </li>
            );
          })}
        </ul>
      </section>

      <section className="groups-section" aria-labelledby="activity" id="activity-feed">
        <h2 id="activity">{t("activityHeading")}</h2>
        {activity.items.length ? (
          <ul className="activity-list" data-testid="activity">
            {activity.items.map((item) => (
              <li key={item.id}>
                <p className="activity-meta">
                  {t(item.parentId ? "activityReply" : "activityNote", { name: isDeletedUserId(item.author.id) ? tData("deletedUser") : item.author.name, paragraph: item.paragraphNumber })}{" "}
                  <span lang={item.article.titleLocale}>{item.article.title}</span> ·{" "}
                  <time dateTime={item.createdAt}>{format.relativeTime(new Date(item.createdAt), now)}</time>
                </p>
                {item.excerpt && <p className="activity-excerpt">{item.excerpt}</p>}
                <a href={`${articleHref(locale, item.article)}#note-${item.id}`}>{t("openNote")}</a>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("activityNone")}</p>
        )}
        <nav className="pager" aria-label={t("activityHeading")}>
          {paged && <Link href={`/groups/${group.id}#activity-feed`}>{t("newestActivity")}</Link>}
          {activity.nextCursor && (
            <Link href={{ pathname: `/groups/${group.id}`, query: { cursor: activity.nextCursor }, hash: "activity-feed" }} data-testid="older-activity">
              {t("olderActivity")}
            </Link>
          )}
        </nav>
      </section>

      {isOwner && (
        <section className="groups-section" aria-labelledby="group-edit">
          <h2 id="group-edit">{t("editHeading")}</h2>
          <GroupForm group={group} />
        </section>
      )}

      <section className="groups-section" aria-labelledby="group-leave">
        <h2 id="group-leave">{t("leaveHeading")}</h2>
        <p>{t("leaveIntro")}</p>
        <ConfirmAction url={`/api/groups/${group.id}/leave`} method="POST" label={t("leave")} question={t("leaveConfirm")} then="/groups" testId="leave-group" />
      </section>

      {isOwner && (
        <section className="groups-section" aria-labelledby="group-delete">
          <h2 id="group-delete">{t("deleteHeading")}</h2>
          <p>{t("deleteIntro")}</p>
          <ConfirmAction url={`/api/groups/${group.id}`} method="DELETE" label={t("delete")} question={t("deleteConfirm")} then="/groups" danger />
        </section>
      )}
    </div>
  );
}
