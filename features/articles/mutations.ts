import "server-only";
import { createHash } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { META_FILE, textFileName } from "@/lib/content/article-files";
import { alignParagraphs, ContentFormatError, parseArticleText, type ParsedArticleText } from "@/lib/content/parse-article";
import { unzipTextFiles, ZipFormatError } from "@/lib/content/zip";
import { articleMetaSchema, type ArticleMeta } from "./schema";

export type ArticleContent = {
  meta: ArticleMeta;
  titles: Record<string, string>;
  paragraphs: { key: string; position: number; text: Record<string, string> }[];
};

export const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");

/**
 * Makes the database hold exactly this article content. Writes only what differs, so running
 * it again with the same content changes nothing (not even updated_at), and paragraphs keep
 * their ids across edits because they are matched by their stable key.
 * Returns what happened: the article was created, updated, or already held exactly this content.
 */
export async function upsertArticleContent(prisma: PrismaClient, content: ArticleContent): Promise<ImportStatus> {
  const { meta } = content;
  return prisma.$transaction(async (tx) => {
    let changed = false;
    let created = false;
    const publishedAt = new Date(`${meta.publishedAt}T00:00:00Z`);
    const articleFields = {
      originalLocale: meta.originalLocale,
      source: meta.source,
      sourceUrl: meta.sourceUrl ?? null,
      publishedAt,
      tags: meta.tags ?? [],
    };
    let article = await tx.article.findUnique({ where: { slug: meta.slug } });
    if (!article) {
      article = await tx.article.create({ data: { slug: meta.slug, ...articleFields } });
      created = true;
      changed = true;
    } else if (
      article.originalLocale !== articleFields.originalLocale ||
      article.source !== articleFields.source ||
      article.sourceUrl !== articleFields.sourceUrl ||
      article.publishedAt.getTime() !== publishedAt.getTime() ||
      (article.tags ?? []).join(",") !== articleFields.tags.join(",")
    ) {
      article = await tx.article.update({ where: { id: article.id }, data: articleFields });
      changed = true;
    }

    const existingTranslations = new Map(
      (await tx.articleTranslation.findMany({ where: { articleId: article.id } })).map((t) => [t.locale, t]),
    );
    for (const [locale, title] of Object.entries(content.titles)) {
      const summary = meta.translations[locale as keyof typeof meta.translations]?.summary ?? "";
      const translator = meta.translations[locale as keyof typeof meta.translations]?.translator ?? null;
      const contentHash = sha256(JSON.stringify([title, summary, translator]));
      if (existingTranslations.get(locale)?.contentHash === contentHash) continue;
      await tx.articleTranslation.upsert({
        where: { articleId_locale: { articleId: article.id, locale } },
        create: { articleId: article.id, locale, title, summary, translator, contentHash },
        update: { title, summary, translator, contentHash },
      });
      changed = true;
    }

    const existingParagraphs = await tx.paragraph.findMany({
      where: { articleId: article.id },
      include: { texts: { select: { locale: true, contentHash: true } } },
    });
    const byKey = new Map(existingParagraphs.map((p) => [p.key, p]));
    const wanted = new Set(content.paragraphs.map((p) => p.key));
    const removed = existingParagraphs.filter((p) => !wanted.has(p.key));
    // Positions are unique per article; move rows whose position changes out of the way first so
    // a reordering never collides mid-transaction. Paragraphs dropped from the content are parked
    // at negative positions rather than deleted: later issues attach notes to them.
    const moved = existingParagraphs.filter((p) => {
      const next = content.paragraphs.find((c) => c.key === p.key);
      return next ? next.position !== p.position : p.position > 0;
    });
    for (const [index, paragraph] of moved.entries()) {
      await tx.paragraph.update({ where: { id: paragraph.id }, data: { position: -1_000_000 - index } });
      changed = true;
    }
    const lowestPosition = Math.min(0, ...existingParagraphs.map((p) => p.position).filter((n) => n > -1_000_000));
    for (const [index, paragraph] of removed.filter((p) => p.position > 0).entries()) {
      await tx.paragraph.update({ where: { id: paragraph.id }, data: { position: lowestPosition - 1 - index } });
    }

    for (const incoming of content.paragraphs) {
      let paragraph = byKey.get(incoming.key);
      if (!paragraph) {
        const created = await tx.paragraph.create({
          data: { articleId: article.id, key: incoming.key, position: incoming.position },
        });
        paragraph = { ...created, texts: [] };
        changed = true;
      } else if (moved.includes(paragraph)) {
        await tx.paragraph.update({ where: { id: paragraph.id }, data: { position: incoming.position } });
      }
      const hashes = new Map(paragraph.texts.map((t) => [t.locale, t.contentHash]));
      for (const [locale, text] of Object.entries(incoming.text)) {
        const contentHash = sha256(text);
        if (hashes.get(locale) === contentHash) continue;
        await tx.paragraphText.upsert({
          where: { paragraphId_locale: { paragraphId: paragraph.id, locale } },
          create: { paragraphId: paragraph.id, locale, text, contentHash },
          update: { text, contentHash },
        });
        changed = true;
      }
    }
    return created ? "created" : changed ? "updated" : "unchanged";
  });
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
export function parseArticleSource({ name, files }: ArticleSource): ArticleContent {
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
  let paragraphs: ArticleContent["paragraphs"];
  try {
    paragraphs = alignParagraphs(texts);
  } catch (error) {
    if (error instanceof ContentFormatError) throw new ContentFormatError(`${name}: ${error.message}`);
    throw error;
  }
  return { meta, titles: Object.fromEntries(Object.entries(texts).map(([locale, t]) => [locale, t.title])), paragraphs };
}

/**
 * Imports article folders: every folder is validated first, then each valid one is written in
 * its own transaction (upsertArticleContent), so a refused article leaves nothing behind and a
 * second run over the same files reports every article unchanged. Database errors are thrown.
 */
export async function importArticles(prisma: PrismaClient, sources: ArticleSource[]): Promise<ImportResult[]> {
  const parsed = sources.map((source): { name: string; content: ArticleContent } | { name: string; reason: string } => {
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
