import { getFormatter, getTranslations } from "next-intl/server";
import { packRuns, type HighlightRun } from "@/components/annotated-text";
import { PhraseText } from "@/components/phrase-text";
import { NoteMarker } from "./note-marker";
import { NotesLayer } from "./notes-layer";
import { ParagraphText as AnnotatedParagraph } from "./paragraph-text";
import type { NoteOverlay } from "@/features/notes/types";
import type { PassageChangedNote } from "@/features/revisions/types";
import { Link } from "@/i18n/navigation";
import type { AppLocale } from "@/i18n/routing";
import { languageName } from "@/lib/i18n/language-names";
import { phraseBreaks } from "@/lib/text/phrases";
import type { ReaderArticle } from "@/features/articles/data";
import type { TextMode } from "@/features/articles/schema";
import { CopyLinkButton } from "@/features/articles/components/copy-link-button";
import { TextModeSwitch } from "@/features/articles/components/text-mode-switch";

/**
 * The article with its public notes, the same for every reader (a cached page). A signed-in
 * reader's page then asks for what only they see and redraws it in place (ADR 0012).
 */
export async function Reader({
  article,
  locale,
  mode,
  overlay,
  passageChanged,
  previewHref,
}: {
  article: ReaderArticle;
  locale: AppLocale;
  mode: TextMode;
  overlay: NoteOverlay;
  /** The public "notes whose passage changed" (features/revisions); a signed-in reader's come with their state. */
  passageChanged?: PassageChangedNote[];
  /**
   * The editor's preview of a draft (features/authoring): its own address for the text-mode links,
   * and no notes layer (no reader-state calls, no live stream, no note markers), export or history.
   */
  previewHref?: string;
}) {
  const t = await getTranslations({ locale, namespace: "Reader" });
  const tHistory = await getTranslations({ locale, namespace: "History" });
  const format = await getFormatter({ locale });
  const titleIn = (lang: string) =>
    article.translations.find((tr) => tr.locale === lang)?.title ??
    article.translations.find((tr) => tr.locale === article.originalLocale)?.title ??
    article.slug;
  // A language with no text in any paragraph is a translation "not available yet" as a whole: a
  // reader asking for it alone is shown the language there is, with a notice saying so.
  const available = (["en", "ja"] as const).filter((lang) => article.paragraphs.some((p) => p.text[lang]));
  const unavailable = available.length === 1 ? (available[0] === "en" ? "ja" : "en") : null;
  const shown = mode !== "both" && mode === unavailable ? available[0]! : mode;
  const textLocales = shown === "both" ? ["en", "ja"] : [shown];
  const otherLocale = shown === "en" ? "ja" : "en";
  const missingIn = (lang: string) =>
    lang === unavailable ? t("translationMissing", { language: languageName(lang) }) : t("missingText", { language: languageName(lang) });
  const Layer = previewHref ? PreviewLayer : NotesLayer;
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
          <h1 className="reader-title" lang={shown}>
            <PhraseText text={titleIn(shown)} locale={shown} />
          </h1>
        )}
        <p className="reader-meta">
          {article.author && <span>{t("author", { author: article.author })}</span>}
          <span>{t("byline", { source: article.source })}</span>
          <span>
            {t("published", {
              date: format.dateTime(new Date(`${article.publishedAt}T00:00:00Z`), { dateStyle: "long", timeZone: "UTC" }),
            })}
          </span>
          <span>{t("paragraphs", { count: article.paragraphs.length })}</span>
          <span>{t("originalLanguage", { language: languageName(article.originalLocale) })}</span>
          {translator && <span>{t("translator", { translator })}</span>}
          {!previewHref && (
            <>
          <span>
            {/* A plain link to the zip (GET /api/articles/{slug}/export): the page stays static. */}
            <a href={`/api/articles/${article.slug}/export`} download={`${article.slug}.zip`} title={t("exportTitle")} className="reader-export">
              {t("export")}
            </a>
          </span>
          <span>
            <a href={`/${locale}/articles/${article.slug}/history`} data-testid="history-link">
              {tHistory("linkFromReader")}
            </a>
          </span>
            </>
          )}
        </p>
        {article.rightsNote && (
          // Written by the editor in the article's own language, usually.
          <p className="reader-rights" lang={article.originalLocale}>
            {article.rightsNote}
          </p>
        )}
        <TextModeSwitch locale={locale} slug={article.slug} groupId={article.groupId} mode={mode} previewHref={previewHref} />
      </header>

      {unavailable && (mode === "both" || mode === unavailable) && (
        <p className="reader-notice" data-testid="translation-missing">
          {mode === "both"
            ? t("translationMissing", { language: languageName(unavailable) })
            : t("showingAvailable", { missing: languageName(unavailable), available: languageName(shown) })}
        </p>
      )}
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
      <Layer
        slug={article.slug}
        mode={mode}
        counts={overlay.counts}
        openQuestions={overlay.openQuestions}
        // The page is cached: the reader's state redraws their own highlights written since.
        renderedAt={overlay.readAt}
        paragraphs={article.paragraphs.map(({ id, key, position }) => ({ id, key, position }))}
        passageChanged={passageChanged}
      >
      <ol className="paragraphs" aria-label={t("articleText")}>
        {article.paragraphs.map((paragraph) => {
          const number = paragraph.position;
          return (
            <li key={paragraph.id} id={paragraph.key} className={paragraph.heading ? "para para-heading" : "para"} data-paragraph-id={paragraph.id} data-paragraph-key={paragraph.key}>
              <a href={`#${paragraph.key}`} className="para-number" aria-label={t("paragraphNumber", { number })}>
                {number}
              </a>
              <div className="para-body">
                {textLocales.map((lang) => (
                  <ParagraphText
                    key={lang}
                    paragraphId={paragraph.id}
                    lang={lang}
                    text={paragraph.text[lang]}
                    runs={overlay.segments[paragraph.id]?.[lang]}
                    missing={missingIn(lang)}
                    heading={paragraph.heading}
                  />
                ))}
                {shown !== "both" && (paragraph.text[otherLocale] || otherLocale === unavailable) && (
                  <details className="para-reveal">
                    <summary>{t("showOther", { language: languageName(otherLocale) })}</summary>
                    <div className="para-other" role="group" aria-label={t("otherVersion", { language: languageName(otherLocale), number })}>
                      <ParagraphText paragraphId={paragraph.id} lang={otherLocale} text={paragraph.text[otherLocale]} runs={overlay.segments[paragraph.id]?.[otherLocale]} missing={missingIn(otherLocale)} />
                    </div>
                  </details>
                )}
              </div>
              <div className="para-actions">
                {!previewHref && <NoteMarker paragraphId={paragraph.id} paragraphKey={paragraph.key} number={number} />}
                <CopyLinkButton anchor={paragraph.key} number={number} />
              </div>
            </li>
          );
        })}
      </ol>
      </Layer>
    </article>
  );
}

/** The preview's stand-in for the notes layer: the text alone, nothing fetched. */
const PreviewLayer: typeof NotesLayer = ({ children }) => <>{children}</>;

function ParagraphText({
  paragraphId,
  lang,
  text,
  runs,
  missing,
  heading = false,
}: {
  paragraphId: string;
  lang: string;
  text: string | undefined;
  runs?: HighlightRun[];
  missing: string;
  heading?: boolean;
}) {
  if (text === undefined) {
    return <p className="para-text para-missing">{missing}</p>;
  }
  return <AnnotatedParagraph paragraphId={paragraphId} lang={lang} text={text} phraseBreaks={phraseBreaks(text, lang)} runs={packRuns(runs)} heading={heading} />;
}
