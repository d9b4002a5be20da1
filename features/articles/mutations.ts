import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { META_FILE, textFileName } from "@/lib/content/article-files";
import type { ArticleDocument } from "@/lib/content/article-document";
import { alignParagraphs, ContentFormatError, parseArticleText, type ParsedArticleText } from "@/lib/content/parse-article";
import { unzipTextFiles, ZipFormatError } from "@/lib/content/zip";
import { applyDocument } from "@/features/revisions/mutations";
import { getPrisma } from "@/lib/db/prisma";
import { furiganaForTexts } from "@/lib/text/furigana";
import { isRubySegments, type RubySegments } from "@/lib/text/ruby";
import { splitSentences, type SentenceSpan } from "@/lib/text/sentences";
import { articleMetaSchema } from "./schema";

/**
 * A new article's rows as the import first writes them (keys p-1…p-N in reading order), for
 * tools that write articles in bulk without the import (the bench's library).
 */
export type ArticleContent = {
  meta: ArticleDocument["meta"];
  titles: Record<string, string>;
  paragraphs: { key: string; position: number; text: Record<string, string> }[];
};
export function articleContent(document: ArticleDocument): ArticleContent {
  return {
    meta: document.meta,
    titles: Object.fromEntries(Object.entries(document.meta.translations).map(([locale, t]) => [locale, t.title])),
    paragraphs: document.rows.map((row, index) => ({ key: `p-${index + 1}`, position: index + 1, text: row.text as Record<string, string> })),
  };
}

/**
 * Makes the database hold exactly this article, through the one publishing path
 * (features/revisions applyDocument): paragraphs are matched by content, so they keep their ids
 * and keys across edits, and a change appends a revision. A new article is created published and
 * public (status published, no group). Running it again with the same document writes nothing.
 * Returns what happened: the article was created, updated, or already held exactly this content.
 */
export async function upsertArticleContent(prisma: PrismaClient, document: ArticleDocument): Promise<ImportStatus> {
  const { meta } = document;
  return prisma.$transaction(
    async (tx) => {
      const existing = await tx.article.findUnique({ where: { slug: meta.slug }, select: { id: true } });
      const article =
        existing ??
        (await tx.article.create({
          data: {
            slug: meta.slug,
            status: "published",
            groupId: null,
            firstPublishedAt: new Date(),
            originalLocale: meta.originalLocale,
            source: meta.source,
            publishedAt: new Date(`${meta.publishedAt}T00:00:00Z`),
          },
          select: { id: true },
        }));
      // The import has no signed-in author and no summary line: the history says "imported".
      const result = await applyDocument(tx, { articleId: article.id, document, actorId: null, summary: "" });
      return !existing ? "created" : result.changed ? "updated" : "unchanged";
    },
    { timeout: 60_000 },
  );
}

// ---- content files -------------------------------------------------------------------------------
// The article folder format (ADR 0006) read into what upsertArticleContent writes. The seed
// (prisma/seed.ts) and `npm run articles:import` (scripts/articles-import.ts) both go through
// readArticleSources + importArticles, so they accept and refuse exactly the same files.

export type ImportStatus = "created" | "updated" | "unchanged";
/** One article folder as found on disk or in a zip: its name and its files (name → text). */
export type ArticleSource = { name: string; files: Record<string, string> };
export type ImportResult = { name: string; status: ImportStatus } | { name: string; status: "refused"; reason: string };

const isArticleFile = (name: string) => name === META_FILE || name.endsWith(".md");

/**
 * The article folders at `target`: one article folder (it has a meta.json), a folder of them
 * (e.g. content/articles), or a zip made by the export (one or more `<slug>/` folders inside).
 */
export async function readArticleSources(target: string): Promise<ArticleSource[]> {
  const info = await stat(target);
  if (info.isFile()) {
    if (!target.toLowerCase().endsWith(".zip")) throw new ContentFormatError(`${target}: expected an article folder, a folder of them, or a .zip.`);
    let entries: Record<string, string>;
    try {
      entries = unzipTextFiles(new Uint8Array(await readFile(target)), path.basename(target));
    } catch (error) {
      if (error instanceof ZipFormatError) throw new ContentFormatError(error.message);
      throw error;
    }
    const folders = new Map<string, Record<string, string>>();
    for (const [entry, text] of Object.entries(entries)) {
      const parts = entry.split("/").filter(Boolean);
      // Files at the top of the zip are one article named after the zip; deeper files are ignored.
      const [folder, file] = parts.length === 1 ? [path.basename(target, path.extname(target)), parts[0]!] : parts.length === 2 ? parts : [];
      if (!folder || !file || !isArticleFile(file)) continue;
      folders.set(folder, { ...folders.get(folder), [file]: text });
    }
    return [...folders.keys()].sort().map((name) => ({ name, files: folders.get(name)! }));
  }
  const entries = await readdir(target, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && e.name === META_FILE)) return [await readArticleFolder(target)];
  const folders = entries.filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => e.name).sort();
  return Promise.all(folders.map((folder) => readArticleFolder(path.join(target, folder))));
}

async function readArticleFolder(dir: string): Promise<ArticleSource> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && isArticleFile(e.name)).map((e) => e.name).sort();
  const files: Record<string, string> = {};
  for (const name of names) files[name] = await readFile(path.join(dir, name), "utf8");
  return { name: path.basename(dir), files };
}

/** Validates one article folder; every refusal is a ContentFormatError naming the folder. */
export function parseArticleSource({ name, files }: ArticleSource): ArticleDocument {
  const metaText = files[META_FILE];
  if (metaText === undefined) throw new ContentFormatError(`${name}: no ${META_FILE}.`);
  let metaJson: unknown;
  try {
    metaJson = JSON.parse(metaText);
  } catch (error) {
    throw new ContentFormatError(`${name}/${META_FILE}: not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  const metaResult = articleMetaSchema.safeParse(metaJson);
  if (!metaResult.success) {
    throw new ContentFormatError(`${name}/${META_FILE}: ${metaResult.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const meta = metaResult.data;
  if (meta.slug !== name) throw new ContentFormatError(`${name}/${META_FILE}: slug "${meta.slug}" must match the folder name.`);
  const texts: Record<string, ParsedArticleText> = {};
  for (const locale of Object.keys(meta.translations)) {
    const text = files[textFileName(locale)];
    if (text === undefined) throw new ContentFormatError(`${name}: ${textFileName(locale)} is missing (${META_FILE} has a "${locale}" translation).`);
    texts[locale] = parseArticleText(text, `${name}/${textFileName(locale)}`);
  }
  if (!texts[meta.originalLocale]) {
    throw new ContentFormatError(`${name}: the original language (${meta.originalLocale}) has no text file.`);
  }
  let rows: ArticleDocument["rows"];
  try {
    rows = alignParagraphs(texts);
  } catch (error) {
    if (error instanceof ContentFormatError) throw new ContentFormatError(`${name}: ${error.message}`);
    throw error;
  }
  const translations = Object.fromEntries(
    Object.entries(meta.translations).map(([locale, t]) => [
      locale,
      { title: texts[locale]!.title, summary: t.summary, ...(t.translator !== undefined ? { translator: t.translator } : {}) },
    ]),
  );
  return {
    meta: {
      slug: meta.slug,
      originalLocale: meta.originalLocale,
      source: meta.source,
      ...(meta.sourceUrl !== undefined ? { sourceUrl: meta.sourceUrl } : {}),
      ...(meta.author !== undefined ? { author: meta.author } : {}),
      publishedAt: meta.publishedAt,
      ...(meta.rightsNote !== undefined ? { rightsNote: meta.rightsNote } : {}),
      tags: meta.tags ?? [],
      translations,
    },
    rows,
  };
}

/**
 * Imports article folders: every folder is validated first, then each valid one is written in
 * its own transaction (upsertArticleContent), so a refused article leaves nothing behind and a
 * second run over the same files reports every article unchanged. Database errors are thrown.
 */
export async function importArticles(prisma: PrismaClient, sources: ArticleSource[]): Promise<ImportResult[]> {
  const parsed = sources.map((source): { name: string; content: ArticleDocument } | { name: string; reason: string } => {
    try {
      return { name: source.name, content: parseArticleSource(source) };
    } catch (error) {
      if (error instanceof ContentFormatError) return { name: source.name, reason: error.message };
      throw error;
    }
  });
  const results: ImportResult[] = [];
  for (const item of parsed) {
    results.push(
      "content" in item
        ? { name: item.name, status: await upsertArticleContent(prisma, item.content) }
        : { name: item.name, status: "refused", reason: item.reason },
    );
  }
  return results;
}

// ---- learning aids (ADR 0037) ------------------------------------------------------------------

/** One paragraph text whose learning aids are missing or were computed from an older text. */
export type StaleLearningText = { paragraphId: string; locale: string; text: string; contentHash: string };
export type LearningAids = { sentences: SentenceSpan[]; furigana: RubySegments | null };

/**
 * Computes the sentences (every language) and furigana (Japanese) of these texts and stores them
 * with the content hash they belong to. Runs when a reader page is first rendered after a text
 * was written (the page is cached afterwards), so publishing stays fast and no request pays twice.
 * The update only lands if the text is still the one analysed: a concurrent edit wins.
 */
export async function fillLearningAids(texts: StaleLearningText[]): Promise<Map<string, LearningAids>> {
  const aids = new Map<string, LearningAids>();
  const japanese = texts.filter((row) => row.locale === "ja");
  const readings = await furiganaForTexts(japanese.map((row) => row.text));
  const furiganaByKey = new Map(japanese.map((row, index) => [learningKey(row.paragraphId, row.locale), readings[index]!]));
  for (const row of texts) {
    const key = learningKey(row.paragraphId, row.locale);
    aids.set(key, { sentences: splitSentences(row.text, row.locale), furigana: furiganaByKey.get(key) ?? null });
  }
  if (texts.length) {
    const values = texts.map((row) => aids.get(learningKey(row.paragraphId, row.locale))!);
    await getPrisma().$executeRaw`UPDATE paragraph_text t SET sentences = v.sentences::jsonb, furigana = v.furigana::jsonb, learning_hash = t.content_hash
      FROM unnest(${texts.map((row) => row.paragraphId)}::uuid[], ${texts.map((row) => row.locale)}::text[], ${texts.map((row) => row.contentHash)}::text[],
        ${values.map((aid) => JSON.stringify(aid.sentences))}::text[], ${values.map((aid) => (aid.furigana ? JSON.stringify(aid.furigana) : null))}::text[])
        AS v(paragraph_id, locale, content_hash, sentences, furigana)
      WHERE t.paragraph_id = v.paragraph_id AND t.locale = v.locale AND t.content_hash = v.content_hash`;
  }
  return aids;
}

export function learningKey(paragraphId: string, locale: string): string {
  return `${paragraphId}:${locale}`;
}

/** A paragraph text as read with its stored learning aids (paragraph_text columns). */
export type StoredLearningText = { locale: string; text: string; contentHash: string; learningHash: string | null; sentences: unknown; furigana: unknown };

/**
 * The learning aids of these paragraphs' texts, keyed by learningKey: the stored ones where they
 * belong to the current text, computed (and stored) once where they are missing or stale.
 */
export async function resolveLearningAids(paragraphs: { id: string; texts: StoredLearningText[] }[]): Promise<Map<string, LearningAids>> {
  const aids = new Map<string, LearningAids>();
  const stale = new Map<string, StaleLearningText>();
  for (const paragraph of paragraphs) {
    for (const t of paragraph.texts) {
      const key = learningKey(paragraph.id, t.locale);
      const current = t.learningHash === t.contentHash && isSentenceSpans(t.sentences) && (t.locale !== "ja" || isRubySegments(t.furigana));
      if (current) aids.set(key, { sentences: t.sentences as SentenceSpan[], furigana: isRubySegments(t.furigana) ? t.furigana : null });
      else stale.set(key, { paragraphId: paragraph.id, locale: t.locale, text: t.text, contentHash: t.contentHash });
    }
  }
  if (stale.size) for (const [key, computed] of await fillLearningAids([...stale.values()])) aids.set(key, computed);
  return aids;
}

function isSentenceSpans(value: unknown): value is SentenceSpan[] {
  return Array.isArray(value) && value.every((span) => typeof span?.start === "number" && typeof span?.end === "number");
}
