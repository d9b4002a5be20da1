import { getTranslations } from "next-intl/server";
import { Link } from "@/components/link";
import type { AppLocale } from "@/i18n/routing";
import { languageName } from "@/lib/i18n/language-names";
import type { GroupSummary } from "../types";
import { GroupForm } from "./group-form";
import "./groups.css";

export async function GroupsOverview({ locale, groups }: { locale: AppLocale; groups: GroupSummary[] }) {
  const t = await getTranslations({ locale, namespace: "Groups" });
  const roleLabel = { owner: t("roleOwner"), moderator: t("roleModerator"), member: t("roleMember") };
  return (
    <div className="groups-page">
      <h1>{t("myGroupsHeading")}</h1>
      <p className="lead">{t("myGroupsIntro")}</p>
      {groups.length ? (
        <ul className="groups-list" data-testid="my-groups">
          {groups.map((group) => (
            <li key={group.id}>
              <Link href={`/groups/${group.id}`}>{group.name}</Link>
              <p className="group-meta">
                {t("yourRole", { role: roleLabel[group.role] })} · {t("memberCount", { count: group.memberCount })}
                {group.languageFocus ? ` · ${t("focus", { language: languageName(group.languageFocus) })}` : ""}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("noGroups")}</p>
      )}
      <section className="groups-section" aria-labelledby="create-group">
        <h2 id="create-group">{t("createHeading")}</h2>
        <GroupForm />
      </section>
    </div>
  );
}
