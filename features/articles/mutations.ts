import "server-only";
import { createHash } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { alignParagraphs, ContentFormatError, parseArticleText, type ParsedArticleText } from "@/lib/content/parse-article";
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
 * Returns whether anything was written.
 */
export async function upsertArticleContent(prisma: PrismaClient, content: ArticleContent): Promise<boolean> {
  const { meta } = content;
  return prisma.$transaction(async (tx) => {
    let changed = false;
    const publishedAt = new Date(`${meta.publishedAt}T00:00:00Z`);
    const articleFields = {
      originalLocale: meta.originalLocale,
      source: meta.source,
      sourceUrl: meta.sourceUrl ?? null,
      publishedAt,
    };
    let article = await tx.article.findUnique({ where: { slug: meta.slug } });
    if (!article) {
      article = await tx.article.create({ data: { slug: meta.slug, ...articleFields } });
      changed = true;
    } else if (
      article.originalLocale !== articleFields.originalLocale ||
      article.source !== articleFields.source ||
      article.sourceUrl !== articleFields.sourceUrl ||
      article.publishedAt.getTime() !== publishedAt.getTime()
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
    return changed;
  });
}

// ---- content files -------------------------------------------------------------------------------
// The other half of the content import (prisma/seed.ts): content/ read into what upsertArticleContent writes.

/** Reads every `content/articles/<slug>/` folder (meta.json + one <locale>.md per language). */
export async function readArticleContent(contentRoot: string): Promise<ArticleContent[]> {
  const articlesDir = path.join(contentRoot, "articles");
  const entries = await readdir(articlesDir, { withFileTypes: true });
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const articles: ArticleContent[] = [];
  for (const folder of folders) {
    const dir = path.join(articlesDir, folder);
    const metaResult = articleMetaSchema.safeParse(JSON.parse(await readFile(path.join(dir, "meta.json"), "utf8")));
    if (!metaResult.success) {
      throw new ContentFormatError(`${folder}/meta.json: ${metaResult.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    }
    const meta = metaResult.data;
    if (meta.slug !== folder) throw new ContentFormatError(`${folder}/meta.json: slug "${meta.slug}" must match the folder name.`);
    const texts: Record<string, ParsedArticleText> = {};
    for (const locale of Object.keys(meta.translations)) {
      const file = path.join(dir, `${locale}.md`);
      texts[locale] = parseArticleText(await readFile(file, "utf8"), `${folder}/${locale}.md`);
    }
    if (!texts[meta.originalLocale]) {
      throw new ContentFormatError(`${folder}: the original language (${meta.originalLocale}) has no text file.`);
    }
    articles.push({
      meta,
      titles: Object.fromEntries(Object.entries(texts).map(([locale, t]) => [locale, t.title])),
      paragraphs: alignParagraphs(texts),
    });
  }
  return articles;
}
