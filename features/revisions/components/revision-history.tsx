import { getFormatter, getTranslations } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";
import type { InlinePart, LocaleDiff, ParagraphDiff, RevisionDiff } from "@/lib/content/revision-diff";
import { languageName } from "@/lib/i18n/language-names";
import type { RevisionHistory, RevisionListItem } from "../types";
import "./revisions.css";

type T = Awaited<ReturnType<typeof getTranslations<"History">>>;

/**
 * The revision history of an article: its revisions newest first, a form choosing two of them (a
 * plain GET form: works without JavaScript), and the per-paragraph diff of the chosen pair in both
 * languages. `readerHref` is the article's reader address (public or group reading), for the links
 * back to it and to its paragraphs (#p-7: keys survive revisions).
 */
export async function RevisionHistoryPage({ history, locale, readerHref }: { history: RevisionHistory; locale: AppLocale; readerHref: string }) {
  const t = await getTranslations({ locale, namespace: "History" });
  const format = await getFormatter({ locale });
  const { article, revisions, comparison } = history;
  const titleLocale = article.titles[locale] !== undefined ? locale : (article.originalLocale as "en" | "ja");
  const title = article.titles[titleLocale] ?? Object.values(article.titles)[0] ?? article.slug;
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });

  return (
    <div className="revision-history">
      <nav className="breadcrumb">
        <a href={readerHref}>
          <span aria-hidden="true">← </span>
          {t("backToArticle")}
        </a>
      </nav>
      <h1>
        {t("title")}
        <span className="revision-history-article" lang={titleLocale}>
          {title}
        </span>
      </h1>

      <section aria-labelledby="revisions-heading">
        <h2 id="revisions-heading">{t("revisionsHeading")}</h2>
        {revisions.length === 0 ? (
          <p>{t("noRevisions")}</p>
        ) : (
          <div className="revision-table-wrap">
            <table className="revision-table" data-testid="revision-list">
              <thead>
                <tr>
                  <th scope="col">{t("colNumber")}</th>
                  <th scope="col">{t("colAuthor")}</th>
                  <th scope="col">{t("colDate")}</th>
                  <th scope="col">{t("colSummary")}</th>
                  <th scope="col">{t("colChanges")}</th>
                </tr>
              </thead>
              <tbody>
                {revisions.map((revision) => (
                  <RevisionRow key={revision.number} revision={revision} t={t} when={when} isCurrent={revision.number === article.revision} previous={revisions.find((r) => r.number < revision.number)?.number} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {revisions.length > 1 && (
        <form method="get" className="revision-compare" aria-labelledby="compare-heading">
          <h2 id="compare-heading">{t("compareHeading")}</h2>
          <label>
            {t("from")}{" "}
            <select name="from" defaultValue={comparison.state === "diff" ? String(comparison.from) : undefined}>
              {revisions.map((r) => (
                <option key={r.number} value={r.number}>
                  {t("revisionNumber", { number: r.number })}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("to")}{" "}
            <select name="to" defaultValue={comparison.state === "none" ? undefined : String(comparison.to)}>
              {revisions.map((r) => (
                <option key={r.number} value={r.number}>
                  {t("revisionNumber", { number: r.number })}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{t("compare")}</button>
        </form>
      )}

      {comparison.state === "diff" && <DiffView diff={comparison.diff} from={comparison.from} to={comparison.to} readerHref={readerHref} locale={locale} t={t} />}
      {comparison.state === "first" && <p className="revision-note">{t("first", { number: comparison.to })}</p>}
      {comparison.state === "same" && <p className="revision-note">{t("same", { number: comparison.to })}</p>}
    </div>
  );
}

function RevisionRow({
  revision,
  t,
  when,
  isCurrent,
  previous,
}: {
  revision: RevisionListItem;
  t: T;
  when: (iso: string) => string;
  isCurrent: boolean;
  previous: number | undefined;
}) {
  return (
    <tr data-testid={`revision-${revision.number}`}>
      <th scope="row">
        {revision.number}
        {isCurrent && <span className="revision-current"> {t("current")}</span>}
      </th>
      <td>{revision.authorName ?? <span className="revision-import">{t("importAuthor")}</span>}</td>
      <td>
        <time dateTime={revision.createdAt}>{when(revision.createdAt)}</time>
      </td>
      <td>{revision.summary || <span className="revision-muted">{t("noSummary")}</span>}</td>
      <td>
        {previous !== undefined ? (
          <a href={`?from=${previous}&to=${revision.number}#changes`}>
            {t.rich("viewChanges", { number: revision.number, hidden: (chunks) => <span className="visually-hidden">{chunks}</span> })}
          </a>
        ) : (
          <span className="revision-muted">{t("firstRevision")}</span>
        )}
      </td>
    </tr>
  );
}

type Block = { type: "paragraph"; paragraph: ParagraphDiff } | { type: "unchanged"; paragraphs: ParagraphDiff[] };

/** Runs of unchanged paragraphs collapse into one block each. */
function blocksOf(diff: RevisionDiff): Block[] {
  const blocks: Block[] = [];
  for (const paragraph of diff.paragraphs) {
    const last = blocks[blocks.length - 1];
    if (paragraph.kind !== "unchanged") blocks.push({ type: "paragraph", paragraph });
    else if (last?.type === "unchanged") last.paragraphs.push(paragraph);
    else blocks.push({ type: "unchanged", paragraphs: [paragraph] });
  }
  return blocks;
}

function DiffView({ diff, from, to, readerHref, locale, t }: { diff: RevisionDiff; from: number; to: number; readerHref: string; locale: AppLocale; t: T }) {
  const { counts } = diff;
  const changedAny = counts.added + counts.removed + counts.changed + counts.moved > 0;
  return (
    <section id="changes" className="revision-diff" aria-labelledby="diff-heading" data-testid="revision-diff">
      <h2 id="diff-heading">{t("diffHeading", { from, to })}</h2>
      {changedAny ? (
        <ul className="revision-diff-counts">
          {counts.changed > 0 && <li>{t("countChanged", { count: counts.changed })}</li>}
          {counts.added > 0 && <li>{t("countAdded", { count: counts.added })}</li>}
          {counts.removed > 0 && <li>{t("countRemoved", { count: counts.removed })}</li>}
          {counts.moved > 0 && <li>{t("countMoved", { count: counts.moved })}</li>}
        </ul>
      ) : (
        <p>{t("noChanges")}</p>
      )}
      <ol className="revision-diff-list">
        {blocksOf(diff).map((block) =>
          block.type === "unchanged" ? (
            <li key={`same-${block.paragraphs[0]!.key}`} className="rev-unchanged">
              <details>
                <summary>{t("unchangedGroup", { count: block.paragraphs.length })}</summary>
                {block.paragraphs.map((paragraph) => (
                  <ParagraphBlock key={paragraph.key} paragraph={paragraph} readerHref={readerHref} locale={locale} t={t} />
                ))}
              </details>
            </li>
          ) : (
            <li key={block.paragraph.key} className={`rev-para rev-${block.paragraph.kind}`} data-testid={`diff-${block.paragraph.key}`} data-kind={block.paragraph.kind}>
              <ParagraphBlock paragraph={block.paragraph} readerHref={readerHref} locale={locale} t={t} />
            </li>
          ),
        )}
      </ol>
    </section>
  );
}

function ParagraphBlock({ paragraph, readerHref, locale, t }: { paragraph: ParagraphDiff; readerHref: string; locale: AppLocale; t: T }) {
  const number = paragraph.afterPosition ?? paragraph.beforePosition!;
  const badges: string[] = [];
  if (paragraph.kind !== "unchanged") badges.push(t(`kind.${paragraph.kind}`));
  if (paragraph.kind === "changed" && paragraph.moved) badges.push(t("kind.moved"));
  const headingChange =
    paragraph.heading.before !== null && paragraph.heading.after !== null && paragraph.heading.before !== paragraph.heading.after
      ? paragraph.heading.after
        ? t("nowHeading")
        : t("noLongerHeading")
      : null;
  return (
    <div className="rev-para-body">
      <p className="rev-para-head">
        {paragraph.afterPosition !== null ? (
          // The key is the paragraph's identity: this link opens the same paragraph in the live text.
          <a href={`${readerHref}#${paragraph.key}`} aria-label={t("paragraphLinkLabel", { number, key: paragraph.key })}>
            {t("paragraphNumber", { number })}
          </a>
        ) : (
          <span>{t("removedParagraph", { number })}</span>
        )}
        <code className="rev-key">{paragraph.key}</code>
        {paragraph.beforePosition !== null && paragraph.afterPosition !== null && paragraph.beforePosition !== paragraph.afterPosition && (
          <span className="rev-was">{t("wasNumber", { number: paragraph.beforePosition })}</span>
        )}
        {badges.map((badge) => (
          <span key={badge} className="rev-badge">
            {badge}
          </span>
        ))}
        {headingChange && <span className="rev-badge">{headingChange}</span>}
      </p>
      <div className="rev-texts">
        {paragraph.locales.map((diff) => (
          <LocaleBlock key={diff.locale} diff={diff} locale={locale} t={t} />
        ))}
      </div>
    </div>
  );
}

function LocaleBlock({ diff, locale, t }: { diff: LocaleDiff; locale: AppLocale; t: T }) {
  const language = languageName(diff.locale);
  return (
    <div className="rev-text">
      <p className="rev-lang" lang={diff.locale}>
        {language}
      </p>
      {diff.parts.length === 0 ? (
        <p className="rev-missing" lang={locale}>
          {t("missingLanguage", { language })}
        </p>
      ) : (
        <p lang={diff.locale}>
          {diff.parts.map((part, i) => (
            <Part key={i} part={part} locale={locale} t={t} />
          ))}
        </p>
      )}
    </div>
  );
}

/** Insertions and deletions carry hidden labels (in the interface language): colour is never the only sign. */
function Part({ part, locale, t }: { part: InlinePart; locale: AppLocale; t: T }) {
  if (part.type === "same") return <>{part.text}</>;
  const Tag = part.type === "ins" ? "ins" : "del";
  return (
    <Tag>
      <span className="visually-hidden" lang={locale}>
        {part.type === "ins" ? t("insertedStart") : t("deletedStart")}
      </span>
      {part.text}
      <span className="visually-hidden" lang={locale}>
        {part.type === "ins" ? t("insertedEnd") : t("deletedEnd")}
      </span>
    </Tag>
  );
}
