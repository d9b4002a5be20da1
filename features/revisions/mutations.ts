import "server-only";
import { createHash, randomUUID } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  alignmentProblems,
  documentLocales,
  type AlignmentProblem,
  type ArticleDocument,
  type ContentLocale,
  type DocumentMeta,
  type RevisionSnapshot,
} from "@/lib/content/article-document";
import { matchParagraphs, splitNeighbours } from "@/lib/content/paragraph-matching";
import { anchorSelector, describeRange, type TextSelector } from "@/lib/text/anchoring";

// Publishing a text over the live one (ADR 0018). Everything an article's text is made of is
// written here, in the caller's transaction, by one function: the import, the seed and the
// editor's publish all go through applyDocument, so they keep paragraph identity the same way.

export type ApplyDocumentInput = {
  articleId: string;
  document: ArticleDocument;
  /** Who published (null: the import or the seed). */
  actorId: string | null;
  /** The revision's summary line. */
  summary: string;
};

export type ApplyDocumentResult = {
  /** False when the live article already held exactly this document: nothing was written. */
  changed: boolean;
  /** The article's revision after the call. */
  revision: number;
  /** Paragraphs that kept their id and key. */
  kept: number;
  added: number;
  removed: number;
  /** Annotations whose stored selector was moved to follow the edited text. */
  reanchored: number;
  /** Notes newly listed under "passage changed" by this revision. */
  passageChanged: number;
};

/** applyDocument refuses a document that breaks the alignment rule (alignmentProblems). */
export class MisalignedDocumentError extends Error {
  constructor(readonly problems: AlignmentProblem[]) {
    super(`The document is not aligned: ${problems.map((p) => [p.kind, p.locale, p.row].filter((x) => x !== undefined).join(" ")).join("; ")}`);
    this.name = "MisalignedDocumentError";
  }
}

export const contentHash = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");
/** article_translation.content_hash: what the import has always written, so old rows compare equal. */
const translationHash = (t: { title: string; summary: string; translator?: string }) =>
  contentHash(JSON.stringify([t.title, t.summary, t.translator ?? null]));

/** Live rows are 1…n; removed ones are parked at <= 0; this range is only used inside a transaction. */
const TEMPORARY_POSITION = -1_000_000;
const KEY_PATTERN = /^p-(\d+)$/;

/**
 * Makes the live article hold `document`: article meta (not the slug, not the status), its
 * translations, its paragraphs (matched old → new by content, so kept paragraphs keep id and
 * key; new ones get never-used keys; removed ones are parked, never deleted), their texts, the
 * notes' anchors, and one appended article_revision. Idempotent: the same document again writes
 * nothing and returns changed = false. Does not touch caches or article.status (the caller's).
 */
export async function applyDocument(tx: Prisma.TransactionClient, input: ApplyDocumentInput): Promise<ApplyDocumentResult> {
  const { articleId, document } = input;
  const problems = alignmentProblems(document);
  if (problems.length) throw new MisalignedDocumentError(problems);
  const locales = documentLocales(document);

  // One publish at a time per article: the row lock orders concurrent publishes and imports.
  const locked = await tx.$queryRaw<{ revision: number }[]>`SELECT revision FROM article WHERE id = ${articleId}::uuid FOR UPDATE`;
  if (!locked[0]) throw new Error(`applyDocument: no article ${articleId}`);
  const article = await tx.article.findUniqueOrThrow({ where: { id: articleId } });
  const revision = article.revision + 1;
  const now = new Date();

  // ---- meta and translations
  const meta = document.meta;
  const publishedAt = new Date(`${meta.publishedAt}T00:00:00Z`);
  const articleFields = {
    originalLocale: meta.originalLocale,
    source: meta.source,
    sourceUrl: meta.sourceUrl || null,
    author: meta.author || null,
    publishedAt,
    rightsNote: meta.rightsNote || null,
    tags: meta.tags ?? [],
  };
  const metaChanged =
    article.originalLocale !== articleFields.originalLocale ||
    article.source !== articleFields.source ||
    article.sourceUrl !== articleFields.sourceUrl ||
    article.author !== articleFields.author ||
    article.publishedAt.getTime() !== publishedAt.getTime() ||
    article.rightsNote !== articleFields.rightsNote ||
    (article.tags ?? []).join(",") !== articleFields.tags.join(",");

  const translations = await tx.articleTranslation.findMany({ where: { articleId } });
  const translationWrites = locales.filter((locale) => translations.find((t) => t.locale === locale)?.contentHash !== translationHash(meta.translations[locale]!));
  const translationDeletes = translations.filter((t) => !(locales as string[]).includes(t.locale)).map((t) => t.locale);

  // ---- paragraphs
  const all = await tx.paragraph.findMany({
    where: { articleId },
    select: { id: true, key: true, position: true, heading: true, removedInRevision: true, texts: { select: { locale: true, text: true } } },
  });
  const live = all.filter((p) => p.position > 0).sort((a, b) => a.position - b.position);
  const liveTexts = live.map((p) => Object.fromEntries(p.texts.map((t) => [t.locale, t.text])) as Record<string, string>);
  const rows = document.rows.map((row) => ({ heading: row.heading, text: Object.fromEntries(locales.map((l) => [l, row.text[l]!])) as Record<ContentLocale, string> }));
  const match = matchParagraphs(liveTexts.map((text) => ({ text })), rows);

  let maxKey = 0;
  for (const p of all) maxKey = Math.max(maxKey, Number(KEY_PATTERN.exec(p.key)?.[1] ?? 0));
  // A new row holding exactly the text of a removed paragraph (an undone delete) brings that
  // paragraph back — its id, key and notes — the most recently removed first.
  const parkedByText = new Map<string, (typeof all)[number]>();
  for (const p of all.filter((p) => p.position <= 0).sort((a, b) => (b.removedInRevision ?? 0) - (a.removedInRevision ?? 0))) {
    for (const t of p.texts) if (!parkedByText.has(`${t.locale}\u0000${t.text}`)) parkedByText.set(`${t.locale}\u0000${t.text}`, p);
  }
  const revivedIds = new Set<string>();
  // The paragraph id and key each row gets; new rows get keys no paragraph of the article ever had.
  const target = rows.map((row, j): { id: string; key: string; old: number | null; revived: (typeof all)[number] | null } => {
    const i = match.oldForNew[j];
    if (i !== null && i !== undefined) return { id: live[i]!.id, key: live[i]!.key, old: i, revived: null };
    const back = locales.map((l) => parkedByText.get(`${l}\u0000${row.text[l]}`)).find((p) => p !== undefined && !revivedIds.has(p.id));
    if (back) {
      revivedIds.add(back.id);
      return { id: back.id, key: back.key, old: null, revived: back };
    }
    return { id: randomUUID(), key: `p-${++maxKey}`, old: null, revived: null };
  });
  const removedIndexes = live.map((_, i) => i).filter((i) => match.newForOld[i] === null);

  const textWrites: { paragraphId: string; locale: string; text: string }[] = [];
  const textDeletes: { paragraphId: string; locale: string }[] = [];
  /** Old paragraph index → the locales whose text changed (or went). */
  const changedLocales = new Map<number, Set<string>>();
  const placeWrites: { id: string; position: number; heading: boolean }[] = [];
  const revivals: { id: string; position: number; heading: boolean }[] = [];
  rows.forEach((row, j) => {
    const { id, old, revived } = target[j]!;
    if (revived) {
      revivals.push({ id, position: j + 1, heading: row.heading });
      const texts = new Map(revived.texts.map((t) => [t.locale, t.text]));
      for (const locale of locales) if (texts.get(locale) !== row.text[locale]) textWrites.push({ paragraphId: id, locale, text: row.text[locale] });
      for (const locale of texts.keys()) if (!(locales as string[]).includes(locale)) textDeletes.push({ paragraphId: id, locale });
      return;
    }
    if (old === null) {
      for (const locale of locales) textWrites.push({ paragraphId: id, locale, text: row.text[locale] });
      return;
    }
    const before = live[old]!;
    if (before.position !== j + 1 || before.heading !== row.heading) placeWrites.push({ id, position: j + 1, heading: row.heading });
    const changed = new Set<string>();
    for (const locale of locales) {
      if (liveTexts[old]![locale] === row.text[locale]) continue;
      textWrites.push({ paragraphId: id, locale, text: row.text[locale] });
      changed.add(locale);
    }
    for (const locale of Object.keys(liveTexts[old]!)) {
      if ((locales as string[]).includes(locale)) continue;
      textDeletes.push({ paragraphId: id, locale });
      changed.add(locale);
    }
    if (changed.size) changedLocales.set(old, changed);
  });
  const added = target.filter((t) => t.old === null).length;

  const changed =
    metaChanged || translationWrites.length > 0 || translationDeletes.length > 0 || placeWrites.length > 0 || textWrites.length > 0 ||
    textDeletes.length > 0 || removedIndexes.length > 0 || added > 0;
  const kept = rows.length - added;
  // An article imported before revisions existed has text but no revision 0 snapshot: the first
  // apply records it as revision 1, so the history can show what the first edit changed.
  const baseline = !changed && article.revision === 0 && live.length > 0;
  if (!changed && !baseline) return { changed: false, revision: article.revision, kept, added: 0, removed: 0, reanchored: 0, passageChanged: 0 };

  // ---- write: article, translations
  if (metaChanged) await tx.article.update({ where: { id: articleId }, data: articleFields });
  for (const locale of translationWrites) {
    const t = meta.translations[locale]!;
    const data = { title: t.title, summary: t.summary, translator: t.translator ?? null, contentHash: translationHash(t) };
    await tx.articleTranslation.upsert({ where: { articleId_locale: { articleId, locale } }, create: { articleId, locale, ...data }, update: data });
  }
  if (translationDeletes.length) await tx.articleTranslation.deleteMany({ where: { articleId, locale: { in: translationDeletes } } });

  // ---- write: paragraphs. (article_id, position) is unique and checked row by row, so rows that
  // move are first parked in a temporary range, then placed.
  const livePosition = new Map(live.map((p) => [p.id, p.position]));
  const moving = [...placeWrites.filter((w) => livePosition.get(w.id) !== w.position).map((w) => w.id), ...removedIndexes.map((i) => live[i]!.id)];
  if (moving.length) {
    await tx.$executeRaw`UPDATE paragraph p SET position = ${TEMPORARY_POSITION} - v.n
      FROM unnest(${moving}::uuid[]) WITH ORDINALITY AS v(id, n) WHERE p.id = v.id`;
  }
  if (removedIndexes.length) {
    const lowest = Math.min(0, ...all.filter((p) => p.position <= 0).map((p) => p.position));
    await tx.$executeRaw`UPDATE paragraph p SET position = ${lowest}::int - v.n, removed_in_revision = ${revision}
      FROM unnest(${removedIndexes.map((i) => live[i]!.id)}::uuid[]) WITH ORDINALITY AS v(id, n) WHERE p.id = v.id`;
  }
  if (placeWrites.length) {
    await tx.$executeRaw`UPDATE paragraph p SET position = v.position, heading = v.heading
      FROM unnest(${placeWrites.map((w) => w.id)}::uuid[], ${placeWrites.map((w) => w.position)}::int[], ${placeWrites.map((w) => w.heading)}::boolean[])
        AS v(id, position, heading)
      WHERE p.id = v.id`;
  }
  if (revivals.length) {
    await tx.$executeRaw`UPDATE paragraph p SET position = v.position, heading = v.heading, removed_in_revision = NULL
      FROM unnest(${revivals.map((w) => w.id)}::uuid[], ${revivals.map((w) => w.position)}::int[], ${revivals.map((w) => w.heading)}::boolean[])
        AS v(id, position, heading)
      WHERE p.id = v.id`;
  }
  if (added > revivals.length) {
    await tx.paragraph.createMany({
      data: rows.flatMap((row, j) => (target[j]!.old === null && !target[j]!.revived ? [{ id: target[j]!.id, articleId, key: target[j]!.key, position: j + 1, heading: row.heading }] : [])),
    });
  }
  if (textWrites.length) {
    await tx.$executeRaw`INSERT INTO paragraph_text (paragraph_id, locale, text, content_hash, updated_at)
      SELECT v.paragraph_id, v.locale, v.text, v.content_hash, ${now}::timestamptz
      FROM unnest(${textWrites.map((w) => w.paragraphId)}::uuid[], ${textWrites.map((w) => w.locale)}::text[], ${textWrites.map((w) => w.text)}::text[],
        ${textWrites.map((w) => contentHash(w.text))}::text[]) AS v(paragraph_id, locale, text, content_hash)
      ON CONFLICT (paragraph_id, locale) DO UPDATE SET text = EXCLUDED.text, content_hash = EXCLUDED.content_hash, updated_at = EXCLUDED.updated_at`;
  }
  for (const d of textDeletes) await tx.paragraphText.delete({ where: { paragraphId_locale: d } });

  // ---- notes: follow the text, or get listed as "passage changed"; none is ever deleted.
  const notes = await updateNotes(tx, { articleId, revision, now, live, rows, target, match, removedIndexes, changedLocales });

  // ---- the revision
  const snapshot: RevisionSnapshot = {
    meta: snapshotMeta(meta, locales),
    paragraphs: rows.map((row, j) => ({ key: target[j]!.key, heading: row.heading, text: row.text })),
  };
  await tx.articleRevision.create({
    data: { articleId, number: revision, authorId: input.actorId, summary: Array.from(input.summary.trim()).slice(0, 300).join(""), snapshot: snapshot as unknown as Prisma.InputJsonValue, createdAt: now },
  });
  await tx.article.update({ where: { id: articleId }, data: { revision } });
  // The library search's document (ADR 0021), rebuilt once from what was just written, in this
  // transaction: a search sees the new text exactly when readers do.
  await tx.$executeRaw`SELECT refresh_article_search(ARRAY[${articleId}::uuid])`;
  return { changed: true, revision, kept, added, removed: removedIndexes.length, ...notes };
}

/** The meta a revision keeps: the document's, with only the languages it has. */
function snapshotMeta(meta: DocumentMeta, locales: ContentLocale[]): DocumentMeta {
  return { ...meta, tags: meta.tags ?? [], translations: Object.fromEntries(locales.map((l) => [l, meta.translations[l]!])) };
}

type NoteContext = {
  articleId: string;
  revision: number;
  now: Date;
  live: { id: string }[];
  rows: { text: Record<string, string> }[];
  target: { id: string; old: number | null; revived: { id: string; removedInRevision: number | null } | null }[];
  match: ReturnType<typeof matchParagraphs>;
  removedIndexes: number[];
  changedLocales: Map<number, Set<string>>;
};

/**
 * Annotations in paragraphs whose text changed in their language re-anchor (position → quote →
 * fuzzy); one that no longer anchors in its paragraph but does in a row split off from it moves
 * there with its thread. Notes of a paragraph merged into another row move with it. Whatever
 * cannot follow — unanchorable annotations, every note of a removed paragraph — is marked with
 * passage_changed_at/in. The author did not edit: version and edited_at stay. Moving a note's
 * paragraph is an UPDATE of note.paragraph_id, so the note_public_stats trigger moves its counts.
 */
async function updateNotes(tx: Prisma.TransactionClient, ctx: NoteContext): Promise<{ reanchored: number; passageChanged: number }> {
  const removed = new Set(ctx.removedIndexes);
  const affected = [...ctx.removedIndexes, ...ctx.changedLocales.keys()];
  /** Revived paragraph id → its row and the revision that had removed it. */
  const revived = new Map(ctx.target.flatMap((t, j) => (t.revived ? [[t.id, { row: j, removedIn: t.revived.removedInRevision }] as const] : [])));
  if (!affected.length && !revived.size) return { reanchored: 0, passageChanged: 0 };
  const oldIndexById = new Map(ctx.live.map((p, i) => [p.id, i]));
  const notes = await tx.note.findMany({
    where: { articleId: ctx.articleId, paragraphId: { in: [...affected.map((i) => ctx.live[i]!.id), ...revived.keys()] } },
    select: {
      id: true, paragraphId: true, locale: true, kind: true, parentId: true, rootId: true, passageChangedAt: true, passageChangedIn: true,
      quoteExact: true, quotePrefix: true, quoteSuffix: true, posStart: true, posEnd: true,
    },
  });
  type Update = { paragraphId?: string; selector?: TextSelector; passageChanged?: boolean; clearPassageChanged?: boolean };
  const updates = new Map<string, Update>();
  const update = (id: string, change: Update) => updates.set(id, { ...updates.get(id), ...change });
  const selectorOf = (n: (typeof notes)[number]): TextSelector | null =>
    n.kind === "annotation" && n.quoteExact && n.posStart !== null && n.posEnd !== null
      ? { exact: n.quoteExact, prefix: n.quotePrefix ?? "", suffix: n.quoteSuffix ?? "", start: n.posStart, end: n.posEnd }
      : null;
  const sameSelector = (a: TextSelector, b: TextSelector) =>
    a.exact === b.exact && a.prefix === b.prefix && a.suffix === b.suffix && a.start === b.start && a.end === b.end;
  /** Tries to anchor in row j; on success records the new selector (and paragraph when it moves). */
  const anchorIn = (n: (typeof notes)[number], selector: TextSelector, j: number): boolean => {
    const text = ctx.rows[j]?.text[n.locale];
    if (!text) return false;
    const anchor = anchorSelector(text, selector);
    if (!anchor) return false;
    const range = anchor.method === "fuzzy" ? snapToWords(text, anchor, selector) : anchor;
    const next = describeRange(text, range.start, range.end);
    const paragraphId = ctx.target[j]!.id;
    if (paragraphId !== n.paragraphId || !sameSelector(next, selector)) update(n.id, { selector: next, ...(paragraphId !== n.paragraphId ? { paragraphId } : {}) });
    if (n.passageChangedAt) update(n.id, { clearPassageChanged: true });
    return true;
  };
  const threadOf = (rootId: string) => notes.filter((m) => m.rootId === rootId);

  for (const n of notes) {
    const selector = selectorOf(n);
    const back = revived.get(n.paragraphId);
    if (back) {
      // Back in the text: its notes are no longer "passage changed" — annotations if they anchor.
      if (selector) anchorIn(n, selector, back.row);
      else if (n.passageChangedAt && n.passageChangedIn === back.removedIn) update(n.id, { clearPassageChanged: true });
      continue;
    }
    const old = oldIndexById.get(n.paragraphId)!;
    if (removed.has(old)) {
      const into = ctx.match.absorbedInto[old];
      if (into === null || into === undefined) {
        if (!n.passageChangedAt) update(n.id, { passageChanged: true });
        continue;
      }
      // Merged into another row: the whole paragraph's notes follow (threads stay together).
      update(n.id, { paragraphId: ctx.target[into]!.id });
      if (selector && !anchorIn(n, selector, into) && !n.passageChangedAt) update(n.id, { passageChanged: true });
      continue;
    }
    const locales = ctx.changedLocales.get(old)!;
    if (!selector || !locales.has(n.locale)) continue;
    const row = ctx.match.newForOld[old]!;
    if (anchorIn(n, selector, row)) continue;
    // Split: the passage may now be in a new row next to this one; the thread moves with it.
    const moved = splitNeighbours(ctx.match, row).some((j) => anchorIn(n, selector, j));
    if (moved) {
      const paragraphId = updates.get(n.id)!.paragraphId;
      if (paragraphId && n.parentId === null) for (const reply of threadOf(n.id)) update(reply.id, { paragraphId });
      continue;
    }
    if (!n.passageChangedAt) update(n.id, { passageChanged: true });
  }

  let reanchored = 0;
  let passageChanged = 0;
  for (const [id, u] of updates) {
    if (u.selector) reanchored++;
    if (u.passageChanged) passageChanged++;
    await tx.note.update({
      where: { id },
      data: {
        ...(u.paragraphId ? { paragraphId: u.paragraphId } : {}),
        ...(u.selector
          ? { quoteExact: u.selector.exact, quotePrefix: u.selector.prefix, quoteSuffix: u.selector.suffix, posStart: u.selector.start, posEnd: u.selector.end }
          : {}),
        ...(u.passageChanged ? { passageChangedAt: ctx.now, passageChangedIn: ctx.revision } : u.clearPassageChanged ? { passageChangedAt: null, passageChangedIn: null } : {}),
      },
    });
  }
  return { reanchored, passageChanged };
}

const WORD = /[\p{L}\p{N}]/u;
/** Scripts written with spaces between words; Japanese and Chinese have no boundary to snap to. */
const SPACED = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}]/u;

/**
 * A fuzzy match may stop inside a word (edit distance prefers "stay op" over "stay opne" for
 * "stay open"), and the stored quote would then shrink at every revision. Where the original
 * quote began or ended on a word boundary, the new range is widened to the boundary too.
 */
function snapToWords(text: string, range: { start: number; end: number }, selector: TextSelector): { start: number; end: number } {
  const chars = Array.from(text);
  const quote = Array.from(selector.exact);
  const isWord = (c: string | undefined) => c !== undefined && WORD.test(c) && SPACED.test(c);
  let { start, end } = range;
  const endedOnBoundary = isWord(quote.at(-1)) && !isWord(Array.from(selector.suffix)[0]);
  if (endedOnBoundary) while (end < chars.length && isWord(chars[end - 1]) && isWord(chars[end])) end++;
  const startedOnBoundary = isWord(quote[0]) && !isWord(Array.from(selector.prefix).at(-1));
  if (startedOnBoundary) while (start > 0 && isWord(chars[start]) && isWord(chars[start - 1])) start--;
  return { start, end };
}
