import { getFormatter, getTranslations } from "next-intl/server";
import { articleHref } from "@/features/articles/types";
import type { AppLocale } from "@/i18n/routing";
import { languageName } from "@/lib/i18n/language-names";
import type { ManagedGroup } from "../loaders";
import type { EditableArticleItem } from "../types";
import "./authoring.css";

/** The editor's home: what the viewer may edit, and where they may start a new article. */
export async function EditorList({
  locale,
  items,
  mayCreatePublic,
  groups,
}: {
  locale: AppLocale;
  items: EditableArticleItem[];
  mayCreatePublic: boolean;
  groups: ManagedGroup[];
}) {
  const t = await getTranslations({ locale, namespace: "Authoring" });
  const format = await getFormatter({ locale });
  const statusLabel = { draft: t("statusDraft"), published: t("statusPublished"), unpublished: t("statusUnpublished") };
  return (
    <div className="authoring" data-testid="editor-list">
      <h1>{t("listHeading")}</h1>
      {(mayCreatePublic || groups.length > 0) && (
        <ul className="authoring-links" aria-label={t("createLinks")}>
          {mayCreatePublic && (
            <li>
              <a href={`/${locale}/editor/new`} className="button-secondary authoring-button" data-testid="new-article">
                {t("newArticle")}
              </a>
            </li>
          )}
          {groups.map((group) => (
            <li key={group.id}>
              <a href={`/${locale}/editor/new?group=${group.id}`} className="button-secondary authoring-button" data-testid="new-group-reading">
                {t("newGroupReading", { group: group.name })}
              </a>
            </li>
          ))}
        </ul>
      )}
      {items.length === 0 ? (
        <p>{t("listEmpty")}</p>
      ) : (
        <ul className="authoring-list" aria-label={t("listLabel")}>
          {items.map((item) => {
            const langs = (["en", "ja"] as const).filter((lang) => item.titles[lang]);
            const title = item.titles[locale] || item.titles.en || item.titles.ja || item.slug;
            const titleLang = item.titles[locale] ? locale : item.titles.en ? "en" : item.titles.ja ? "ja" : undefined;
            return (
              <li key={item.id} className="authoring-item" data-testid="editor-item" data-slug={item.slug}>
                <h2 lang={titleLang}>{title}</h2>
                <p className="authoring-item-meta">
                  <span data-testid="editor-item-status">{statusLabel[item.status]}</span>
                  {item.revision > 0 && <span>{t("revisionNumber", { revision: item.revision })}</span>}
                  {item.hasDraft && item.revision > 0 && <span>{t("draftPending")}</span>}
                  <span>{item.groupName ? t("groupReadingOf", { group: item.groupName }) : t("publicArticle")}</span>
                  <span>
                    {langs.length
                      ? langs.map((lang, n) => (
                          <span key={lang}>
                            {n > 0 && " · "}
                            <span lang={lang}>{languageName(lang)}</span>
                          </span>
                        ))
                      : t("noLanguagesYet")}
                  </span>
                  <span>{t("updated", { date: format.dateTime(new Date(item.updatedAt), { dateStyle: "medium", timeStyle: "short" }) })}</span>
                </p>
                <ul className="authoring-links">
                  <li>
                    <a href={`/${locale}/editor/${item.id}`} aria-label={t("editLabel", { title })}>
                      {t("edit")}
                    </a>
                  </li>
                  <li>
                    <a href={`/${locale}/editor/${item.id}/preview`} aria-label={t("previewLabel", { title })}>
                      {t("preview")}
                    </a>
                  </li>
                  {item.status === "published" && (
                    <li>
                      <a href={articleHref(locale, item)} aria-label={t("readerLabel", { title })}>
                        {t("openReader")}
                      </a>
                    </li>
                  )}
                  {item.revision > 0 && (
                    <li>
                      <a href={`/${locale}/articles/${item.slug}/history`} aria-label={t("historyLabel", { title })}>
                        {t("history")}
                      </a>
                    </li>
                  )}
                </ul>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
