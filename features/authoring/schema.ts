import { z } from "zod";
import "@/lib/zod-jitless";
import { CONTENT_LOCALES, type ArticleDocument, type ContentLocale } from "@/lib/content/article-document";
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from "@/lib/content/slug";
import { TAG_PATTERN } from "@/features/articles/schema";

// The bounds of everything an editor sends (ADR 0020). Issue messages are keys under
// AuthoringApi.errors. Two schemas over one shape: a draft may be half-written (autosave must
// take an empty title or an empty cell), publishing is where completeness and alignment are
// enforced (publishProblems below, alignmentProblems in lib/content/article-document.ts).

/** Text per language, summed over the rows, in UTF-8 bytes. */
export const MAX_TEXT_BYTES = 2 * 1024 * 1024;
export const MAX_ROWS = 2000;
export const MAX_TITLE = 500;
export const MAX_SUMMARY = 1000;
export const MAX_NAME = 200;
export const MAX_URL = 2000;
export const MAX_RIGHTS_NOTE = 500;
export const MAX_TAGS = 20;
export const MAX_PUBLISH_SUMMARY = 300;
/** An uploaded file's text (markup included) before conversion. */
export const MAX_UPLOAD_CHARS = 6_000_000;
/**
 * Largest authoring request body: two languages at the text limit, JSON escaping and row
 * overhead. The pipeline's default (64 KB) fits a note, not an article. It must stay under
 * Next's proxyClientMaxBodySize (10 MB by default): proxy.ts buffers request bodies and
 * truncates anything longer, which would reach us as unparseable JSON.
 */
export const AUTHORING_MAX_BYTES = 9 * 1024 * 1024;

/**
 * Control characters are refused everywhere in a document, newlines included: a cell is one
 * paragraph, a single line of text (a newline inside one would split it in two when the article
 * is exported as Markdown and imported again). The editor turns Enter into a new row; the server
 * does not guess. C0, DEL, C1 and the Unicode line/paragraph separators.
 */
export const CONTROL_CHARS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/u;

const noControl = (value: string) => !CONTROL_CHARS.test(value);
const line = (max: number, tooLong: string) =>
  z.string({ error: "invalid" }).max(max, { error: tooLong }).refine(noControl, { error: "controlCharacters" });

const contentLocale = z.enum(CONTENT_LOCALES as [ContentLocale, ...ContentLocale[]], { error: "badLocale" });

/** YYYY-MM-DD that is a real day (2026-02-31 is not). */
export function isValidDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** http(s) only: a source link is shown to readers, so javascript:, data: and file: never are. */
export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}

const translation = z.strictObject({
  title: line(MAX_TITLE, "titleTooLong"),
  summary: line(MAX_SUMMARY, "summaryTooLong"),
  translator: line(MAX_NAME, "nameTooLong").optional(),
});

const meta = z.strictObject({
  // "" until the editor picks one: the server generates it from the title (generateSlug).
  slug: z
    .string({ error: "badSlug" })
    .max(SLUG_MAX_LENGTH, { error: "badSlug" })
    .refine((value) => value === "" || SLUG_PATTERN.test(value), { error: "badSlug" }),
  originalLocale: contentLocale,
  source: line(MAX_NAME, "nameTooLong"),
  sourceUrl: line(MAX_URL, "badUrl")
    .refine((value) => value === "" || isWebUrl(value), { error: "badUrl" })
    .optional(),
  author: line(MAX_NAME, "nameTooLong").optional(),
  // "" while the editor has not set it; publishing requires a real day.
  publishedAt: z.string({ error: "badDate" }).refine((value) => value === "" || isValidDay(value), { error: "badDate" }),
  rightsNote: line(MAX_RIGHTS_NOTE, "rightsNoteTooLong").optional(),
  tags: z
    .array(z.string({ error: "badTag" }).regex(TAG_PATTERN, { error: "badTag" }), { error: "badTag" })
    .max(MAX_TAGS, { error: "tooManyTags" })
    .refine((tags) => new Set(tags).size === tags.length, { error: "duplicateTag" }),
  translations: z.strictObject({ en: translation.optional(), ja: translation.optional() }, { error: "invalid" }),
});

const row = z.strictObject({
  // A hint from the live article (ADR 0018 matches by content); bounded like the column.
  key: z.string({ error: "invalid" }).regex(/^p-\d{1,9}$/, { error: "invalid" }).optional(),
  heading: z.boolean({ error: "invalid" }),
  text: z.strictObject(
    {
      en: z.string({ error: "invalid" }).refine(noControl, { error: "controlCharacters" }).optional(),
      ja: z.string({ error: "invalid" }).refine(noControl, { error: "controlCharacters" }).optional(),
    },
    { error: "invalid" },
  ),
});

const utf8 = new TextEncoder();
const bytesOf = (value: string) => utf8.encode(value).length;

/** Bytes of text per language over the rows (the 2 MB limit). */
export function textBytes(rows: ArticleDocument["rows"]): Record<ContentLocale, number> {
  const total: Record<ContentLocale, number> = { en: 0, ja: 0 };
  for (const r of rows) for (const locale of CONTENT_LOCALES) total[locale] += bytesOf(r.text[locale] ?? "");
  return total;
}

/** A document as a draft may hold it: every bound, no completeness. */
export const draftDocumentSchema = z
  .strictObject({
    meta,
    rows: z.array(row, { error: "invalid" }).max(MAX_ROWS, { error: "tooManyRows" }),
  })
  .superRefine((document, ctx) => {
    const bytes = textBytes(document.rows);
    for (const locale of CONTENT_LOCALES) {
      if (bytes[locale] > MAX_TEXT_BYTES) ctx.addIssue({ code: "custom", path: ["rows"], message: "textTooLarge" });
    }
  }) satisfies z.ZodType<ArticleDocument>;

export const createArticleSchema = z.strictObject({
  /** A group reading of this group; null or absent: a public article. */
  groupId: z.uuid({ error: "invalid" }).nullable().optional(),
  document: z.unknown(),
});

export const saveDraftSchema = z.strictObject({
  /** The draft version the editor started from (0: no stored draft yet, the live text). */
  version: z.int({ error: "invalid" }).min(0, { error: "invalid" }),
  document: z.unknown(),
});

export const publishSchema = z.strictObject({
  version: z.int({ error: "invalid" }).min(0, { error: "invalid" }),
  summary: line(MAX_PUBLISH_SUMMARY, "publishSummaryTooLong").default(""),
});

export const uploadKinds = ["md", "txt", "html"] as const;
export type UploadKind = (typeof uploadKinds)[number];

export const convertSchema = z.strictObject({
  filename: z.string({ error: "invalid" }).min(1, { error: "invalid" }).max(255, { error: "invalid" }),
  /** The browser's File.type; often "" for .md. */
  type: z.string({ error: "invalid" }).max(255, { error: "invalid" }),
  text: z.string({ error: "invalid" }).max(MAX_UPLOAD_CHARS, { error: "uploadTooLarge" }),
  locale: contentLocale,
});

const EXTENSIONS: Record<string, UploadKind> = { md: "md", markdown: "md", txt: "txt", text: "txt", html: "html", htm: "html" };
// What browsers and operating systems declare for each kind; "" (unknown) is common for .md.
const DECLARED: Record<UploadKind, readonly string[]> = {
  md: ["", "text/markdown", "text/x-markdown", "text/plain"],
  txt: ["", "text/plain"],
  html: ["", "text/html", "application/xhtml+xml"],
};

/** The kind of an upload when its extension and its declared type agree, else null (415). */
export function uploadKind(filename: string, declaredType: string): UploadKind | null {
  const extension = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase();
  const kind = extension ? EXTENSIONS[extension] : undefined;
  if (!kind) return null;
  const mime = declaredType.split(";")[0]!.trim().toLowerCase();
  return DECLARED[kind].includes(mime) ? kind : null;
}

/** Text of an upload Postgres would store but no article should hold (form feeds etc. fold to spaces). */
export const UPLOAD_CONTROL_CHARS = /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F]/u;

export type PublishProblem = { field: string; message: string };

/**
 * What a draft lacks to be published besides what alignmentProblems reports (languages, titles,
 * rows, empty cells): a source and a real date. A slug can always be generated, so it is not asked for.
 */
export function publishProblems(document: ArticleDocument): PublishProblem[] {
  const problems: PublishProblem[] = [];
  if (!document.meta.source.trim()) problems.push({ field: "source", message: "sourceRequired" });
  if (!isValidDay(document.meta.publishedAt)) problems.push({ field: "publishedAt", message: "dateRequired" });
  return problems;
}

// ---- slugs --------------------------------------------------------------------------------------

/** Longest slug generated from a title (room left for a "-2" suffix under SLUG_MAX_LENGTH). */
const GENERATED_SLUG_LENGTH = 80;
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** Lowercase ASCII words of a title joined by hyphens ("Héllo, World!" → "hello-world"); "" when it has none. */
export function slugFromTitle(title: string): string {
  const words = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > GENERATED_SLUG_LENGTH) break;
    slug = next;
  }
  return slug || (words[0]?.slice(0, GENERATED_SLUG_LENGTH) ?? "");
}

function randomBase32(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => BASE32[byte % 32]).join("");
}

/**
 * A slug for a document whose editor left it empty: the English title's words, else (a title
 * only in Japanese, which has no ASCII words to make an address of) the source's date and six
 * random characters, e.g. "2026-11-29-k3x9qa". Always matches SLUG_PATTERN.
 */
export function generateSlug(meta: Pick<ArticleDocument["meta"], "translations" | "publishedAt">, today = new Date()): string {
  const fromTitle = slugFromTitle(meta.translations.en?.title ?? "");
  if (fromTitle) return fromTitle;
  const day = isValidDay(meta.publishedAt) ? meta.publishedAt : today.toISOString().slice(0, 10);
  return `${day}-${randomBase32(6)}`;
}
