import { getFormatter, getTranslations } from "next-intl/server";
import { AnnotatedText, type HighlightRun } from "@/components/annotated-text";
import { PhraseText } from "@/components/phrase-text";
import { HeatMap } from "@/features/notes/components/heat-map";
import { NoteMarker } from "@/features/notes/components/note-marker";
import { NotesLayer } from "@/features/notes/components/notes-layer";
import type { ReaderDiscussion } from "@/features/notes/loaders";
import type { NoteOverlay } from "@/features/notes/overlay";
import { serializeLayers } from "@/features/notes/schema";
import { Link } from "@/i18n/navigation";
import type { AppLocale } from "@/i18n/routing";
import { languageName } from "@/lib/i18n/language-names";
import type { ReaderArticle } from "../data";
import type { TextMode } from "../schema";
import { CopyLinkButton } from "./copy-link-button";
import { TextModeSwitch } from "./text-mode-switch";

export async function Reader({
  article,
  locale,
  mode,
  overlay,
  viewer,
  discussion = null,
}: {
  article: ReaderArticle;
  locale: AppLocale;
  mode: TextMode;
  overlay: NoteOverlay;
  viewer: { id: string; name: string } | null;
  discussion?: ReaderDiscussion | null;
}) {
  const t = await getTranslations({ locale, namespace: "Reader" });
  const format = await getFormatter({ locale });
  const titleIn = (lang: string) =>
    article.translations.find((tr) => tr.locale === lang)?.title ??
    article.translations.find((tr) => tr.locale === article.originalLocale)?.title ??
    article.slug;
  const textLocales = mode === "both" ? ["en", "ja"] : [mode];
  const otherLocale = mode === "en" ? "ja" : "en";
  const translator = article.translations.find((tr) => tr.translator && textLocales.includes(tr.locale))?.translator;

  return (
    <article className={`reader reader-${mode}`} data-text-mode={mode}>
      <nav className="breadcrumb">
        <Link href="/" locale={locale}>
          <span aria-hidden="true">← </span>
          {t("backToList")}
        </Link>
      </nav>
      <header className="reader-header">
        {mode === "both" ? (
          <h1 className="reader-title reader-title-both">
            <span lang="en" className="title-line">
              {titleIn("en")}
            </span>
            <span lang="ja" className="title-line">
              <PhraseText text={titleIn("ja")} locale="ja" />
            </span>
          </h1>
        ) : (
          <h1 className="reader-title" lang={mode}>
            <PhraseText text={titleIn(mode)} locale={mode} />
          </h1>
        )}
        <p className="reader-meta">
          <span>{t("byline", { source: article.source })}</span>
          <span>
            {t("published", {
              date: format.dateTime(new Date(`${article.publishedAt}T00:00:00Z`), { dateStyle: "long", timeZone: "UTC" }),
            })}
          </span>
          <span>{t("paragraphs", { count: article.paragraphs.length })}</span>
          <span>{t("originalLanguage", { language: languageName(article.originalLocale) })}</span>
          {translator && <span>{t("translator", { translator })}</span>}
        </p>
        <TextModeSwitch locale={locale} slug={article.slug} mode={mode} />
      </header>

      {mode === "both" && (
        // Same grid as a paragraph row, so the labels sit exactly over their columns.
        <div className="para both-columns-head" aria-hidden="true">
          <span />
          <div className="para-body">
            <span lang="en">{languageName("en")}</span>
            <span lang="ja">{languageName("ja")}</span>
          </div>
          <span className="para-actions" />
        </div>
      )}
      {discussion && (
        <HeatMap
          locale={locale}
          paragraphs={article.paragraphs.map(({ id, key, position }) => ({ id, key, position }))}
          counts={overlay.counts}
          openQuestions={overlay.openQuestions}
        />
      )}
      <NotesLayer
        slug={article.slug}
        mode={mode}
        viewer={viewer}
        counts={overlay.counts}
        paragraphs={article.paragraphs.map(({ id, key, position }) => ({ id, key, position }))}
        discussion={{
          openQuestions: overlay.openQuestions,
          unread: overlay.unread,
          groups: discussion?.groups.map(({ id, name }) => ({ id, name })) ?? [],
          layers: serializeLayers(discussion?.layers ?? null),
          suspension: discussion?.suspension ?? null,
        }}
      >
      <ol className="paragraphs" aria-label={t("articleText")}>
        {article.paragraphs.map((paragraph) => {
          const number = paragraph.position;
          return (
            <li key={paragraph.id} id={paragraph.key} className="para" data-paragraph-id={paragraph.id} data-paragraph-key={paragraph.key}>
              <a href={`#${paragraph.key}`} className="para-number" aria-label={t("paragraphNumber", { number })}>
                {number}
              </a>
              <div className="para-body">
                {textLocales.map((lang) => (
                  <ParagraphText
                    key={lang}
                    lang={lang}
                    text={paragraph.text[lang]}
                    runs={overlay.segments[paragraph.id]?.[lang]}
                    missing={t("missingText", { language: languageName(lang) })}
                  />
                ))}
                {mode !== "both" && paragraph.text[otherLocale] && (
                  <details className="para-reveal">
                    <summary>{t("showOther", { language: languageName(otherLocale) })}</summary>
                    <div className="para-other" role="group" aria-label={t("otherVersion", { language: languageName(otherLocale), number })}>
                      <ParagraphText lang={otherLocale} text={paragraph.text[otherLocale]} runs={overlay.segments[paragraph.id]?.[otherLocale]} missing="" />
                    </div>
                  </details>
                )}
              </div>
              <div className="para-actions">
                <NoteMarker paragraphId={paragraph.id} paragraphKey={paragraph.key} number={number} />
                <CopyLinkButton anchor={paragraph.key} number={number} />
              </div>
            </li>
          );
        })}
      </ol>
      </NotesLayer>
    </article>
  );
}

function ParagraphText({ lang, text, runs, missing }: { lang: string; text: string | undefined; runs?: HighlightRun[]; missing: string }) {
  if (text === undefined) {
    return <p className="para-text para-missing">{missing}</p>;
  }
  // data-text-locale marks the element whose text content the selection offsets count in.
  return (
    <p className="para-text" lang={lang} data-text-locale={lang}>
      <AnnotatedText text={text} locale={lang} runs={runs} />
    </p>
  );
}
