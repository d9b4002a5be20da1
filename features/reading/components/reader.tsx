import { getFormatter, getTranslations } from "next-intl/server";
import { packRuns, type HighlightRun } from "@/components/annotated-text";
import { PhraseText } from "@/components/phrase-text";
import { NoteMarker } from "./note-marker";
import { NotesLayer } from "./notes-layer";
import { ParagraphText as AnnotatedParagraph } from "./paragraph-text";
import type { NoteOverlay } from "@/features/notes/types";
import type { PassageChangedNote } from "@/features/revisions/types";
import { Link } from "@/components/link";
import type { AppLocale } from "@/i18n/routing";
import { languageName } from "@/lib/i18n/language-names";
import { phraseBreaks } from "@/lib/text/phrases";
import type { RubySegments } from "@/lib/text/ruby";
import type { ReaderArticle } from "@/features/articles/data";
import type { TextMode } from "@/features/articles/types";
import { CopyLinkButton } from "@/features/articles/components/copy-link-button";
import { TextModeSwitch } from "@/features/articles/components/text-mode-switch";
import { FuriganaSwitch } from "./furigana-switch";
import { ReadAloudBar, ReadParagraphButton, type ReadAloudSentences } from "./read-aloud";
import { SentencePairs, type ParagraphSentences } from "./sentence-pairs";
import { alignSentences } from "@/lib/text/sentence-alignment";

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
  furigana = false,
}: {
  article: ReaderArticle;
  locale: AppLocale;
  mode: TextMode;
  /** Readings over the kanji of the Japanese text (?furigana=1, ADR 0037). */
  furigana?: boolean;
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
  const sentences = previewHref ? {} : sentencePairsOf(article);
  // Read aloud speaks the text on screen; side by side, the page's language comes first.
  const spoken = (shown === "both" ? [locale, locale === "en" ? "ja" : "en"] : [shown]) as ("en" | "ja")[];
  const readAloud = previewHref ? {} : readAloudSentencesOf(article, spoken);

  return (
    <article className={`reader reader-${mode}${furigana ? " reader-furigana" : ""}`} data-text-mode={mode}>
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
        <TextModeSwitch locale={locale} slug={article.slug} groupId={article.groupId} mode={mode} previewHref={previewHref} furigana={furigana} />
        {!previewHref && available.includes("ja") && <FuriganaSwitch locale={locale} article={article} mode={mode} on={furigana} />}
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
                    ruby={furigana ? paragraph.ruby?.[lang] : undefined}
                  />
                ))}
                {shown !== "both" && (paragraph.text[otherLocale] || otherLocale === unavailable) && (
                  <details className="para-reveal">
                    <summary>{t("showOther", { language: languageName(otherLocale) })}</summary>
                    <div className="para-other" role="group" aria-label={t("otherVersion", { language: languageName(otherLocale), number })}>
                      <ParagraphText
                        paragraphId={paragraph.id}
                        lang={otherLocale}
                        text={paragraph.text[otherLocale]}
                        runs={overlay.segments[paragraph.id]?.[otherLocale]}
                        missing={missingIn(otherLocale)}
                        ruby={furigana ? paragraph.ruby?.[otherLocale] : undefined}
                      />
                    </div>
                  </details>
                )}
              </div>
              <div className="para-actions">
                {!previewHref && <NoteMarker paragraphId={paragraph.id} paragraphKey={paragraph.key} number={number} />}
                {!previewHref && <ReadParagraphButton paragraphKey={paragraph.key} number={number} languages={spoken} />}
                <CopyLinkButton anchor={paragraph.key} number={number} />
              </div>
            </li>
          );
        })}
      </ol>
      </Layer>
      {Object.keys(sentences).length > 0 && <SentencePairs sentences={sentences} primary={shown} />}
      {Object.keys(readAloud).length > 0 && <ReadAloudBar sentences={readAloud} languages={spoken} />}
    </article>
  );
}

/** Each paragraph's sentences in both languages, paired (computed once per cached page). */
function sentencePairsOf(article: ReaderArticle): Record<string, ParagraphSentences> {
  const out: Record<string, ParagraphSentences> = {};
  for (const paragraph of article.paragraphs) {
    const en = paragraph.sentences?.en;
    const ja = paragraph.sentences?.ja;
    if (!en?.length || !ja?.length) continue;
    out[paragraph.key] = {
      en: en.map((span) => [span.start, span.end]),
      ja: ja.map((span) => [span.start, span.end]),
      pairs: alignSentences(
        en.map((span) => span.end - span.start),
        ja.map((span) => span.end - span.start),
      ).map((pair) => [...pair]),
    };
  }
  return out;
}

/** Each paragraph's sentence spans in the languages read aloud. */
function readAloudSentencesOf(article: ReaderArticle, languages: ("en" | "ja")[]): ReadAloudSentences {
  const out: ReadAloudSentences = {};
  for (const paragraph of article.paragraphs) {
    const entry: ReadAloudSentences[string] = {};
    for (const lang of languages) {
      const spans = paragraph.sentences?.[lang];
      if (spans?.length && paragraph.text[lang]) entry[lang] = spans.map((span) => [span.start, span.end]);
    }
    if (Object.keys(entry).length) out[paragraph.key] = entry;
  }
  return out;
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
  ruby,
}: {
  paragraphId: string;
  lang: string;
  text: string | undefined;
  runs?: HighlightRun[];
  missing: string;
  heading?: boolean;
  ruby?: RubySegments;
}) {
  if (text === undefined) {
    return <p className="para-text para-missing">{missing}</p>;
  }
  return <AnnotatedParagraph paragraphId={paragraphId} lang={lang} text={text} phraseBreaks={phraseBreaks(text, lang)} runs={packRuns(runs)} heading={heading} ruby={ruby} />;
}
