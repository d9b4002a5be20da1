import { zipTextFiles } from "@/lib/content/zip";

// "Download my data" (ADR 0036): what one account holds, as a zip of JSON (complete, for
// programs) and Markdown (readable, in the requester's language). Pure: the feature reads the
// rows and supplies the words and the date format, this only lays the files out, so the layout
// is unit-tested without a database. The zip is fflate's, like the article folders'.

export type ExportedNote = {
  id: string;
  article: { slug: string; title: string | null };
  paragraphKey: string;
  locale: string;
  kind: string;
  visibility: string;
  group: { id: string; name: string } | null;
  parentId: string | null;
  rootId: string | null;
  body: string;
  tag: string | null;
  quote: { exact: string; prefix: string | null; suffix: string | null } | null;
  status: string;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  purged: boolean;
  /** Earlier bodies, oldest first (the current one is `body`). */
  revisions: { version: number; body: string; tag: string | null; createdAt: string }[];
};

export type AccountExport = {
  exportedAt: string;
  account: { id: string; name: string; email: string; emailVerified: boolean; role: string; preferredLocale: string | null; createdAt: string };
  notes: ExportedNote[];
  reactions: { noteId: string; article: string; createdAt: string }[];
  flags: { noteId: string; article: string; reason: string; details: string | null; createdAt: string; resolvedAt: string | null }[];
  groups: { groupId: string; name: string; role: string; joinedAt: string; groupDeleted: boolean }[];
  notifications: { kind: string; noteId: string; article: string; createdAt: string; readAt: string | null }[];
  reading: { article: string; lastVisitedAt: string; paragraphKey: string | null }[];
  apiTokens: { name: string; scopes: string[]; createdAt: string; expiresAt: string | null; lastUsedAt: string | null; revokedAt: string | null }[];
};

/** The Markdown's words, already in the requester's language (AccountData.archive.* messages). */
export type ArchiveWords = {
  readmeTitle: string;
  readmeIntro: (values: { name: string; date: string }) => string;
  /** One line per JSON file: what it holds. */
  fileDescriptions: Record<JsonFile, string>;
  notesTitle: string;
  noNotes: string;
  noteHeading: (values: { date: string; visibility: string }) => string;
  visibility: (visibility: string, group: string | null) => string;
  replyTo: string;
  quote: string;
  deleted: string;
  purged: string;
  history: string;
  version: (values: { version: number; date: string }) => string;
  formatDate: (iso: string) => string;
};

export const JSON_FILES = ["account", "notes", "reactions", "flags", "groups", "notifications", "reading", "api-tokens"] as const;
export type JsonFile = (typeof JSON_FILES)[number];

/** The top folder of the archive (everything is inside it, so unzipping makes one folder). */
export const ARCHIVE_FOLDER = "taiyaku-data";

/** The archive's files: path inside the zip → UTF-8 text. */
export function exportFiles(data: AccountExport, words: ArchiveWords): Record<string, string> {
  const json: Record<JsonFile, unknown> = {
    account: { ...data.account, exportedAt: data.exportedAt },
    notes: data.notes,
    reactions: data.reactions,
    flags: data.flags,
    groups: data.groups,
    notifications: data.notifications,
    reading: data.reading,
    "api-tokens": data.apiTokens,
  };
  const files: Record<string, string> = {
    [`${ARCHIVE_FOLDER}/README.md`]: readme(data, words),
    [`${ARCHIVE_FOLDER}/notes.md`]: notesMarkdown(data.notes, words),
  };
  for (const name of JSON_FILES) files[`${ARCHIVE_FOLDER}/${name}.json`] = `${JSON.stringify(json[name], null, 2)}\n`;
  return files;
}

export function exportZip(data: AccountExport, words: ArchiveWords): Uint8Array {
  return zipTextFiles(exportFiles(data, words));
}

function readme(data: AccountExport, words: ArchiveWords): string {
  const lines = [`# ${words.readmeTitle}`, "", words.readmeIntro({ name: data.account.name, date: words.formatDate(data.exportedAt) }), ""];
  lines.push(`- [notes.md](notes.md)`);
  for (const name of JSON_FILES) lines.push(`- [${name}.json](${name}.json): ${words.fileDescriptions[name]}`);
  return `${lines.join("\n")}\n`;
}

/** Notes by article (in the order of their first note), each thread's notes in writing order. */
function notesMarkdown(notes: ExportedNote[], words: ArchiveWords): string {
  const lines = [`# ${words.notesTitle}`, ""];
  if (notes.length === 0) return `${[...lines, words.noNotes].join("\n")}\n`;
  const byArticle = new Map<string, ExportedNote[]>();
  for (const note of notes) {
    const list = byArticle.get(note.article.slug) ?? [];
    list.push(note);
    byArticle.set(note.article.slug, list);
  }
  for (const list of byArticle.values()) {
    const article = list[0]!.article;
    lines.push(`## ${inline(article.title ?? article.slug)}`, "");
    for (const note of list) {
      lines.push(`### ${words.noteHeading({ date: words.formatDate(note.createdAt), visibility: words.visibility(note.visibility, note.group?.name ?? null) })} (¶ ${note.paragraphKey})`, "");
      if (note.parentId) lines.push(`*${words.replyTo}* \`${note.parentId}\``, "");
      if (note.quote) lines.push(`> ${words.quote}: ${inline(note.quote.exact)}`, "");
      if (note.purged) lines.push(`*${words.purged}*`, "");
      else {
        if (note.deletedAt) lines.push(`*${words.deleted}*`, "");
        lines.push(note.body, "");
      }
      if (note.revisions.length > 0) {
        lines.push(`#### ${words.history}`, "");
        for (const revision of note.revisions) {
          lines.push(`- ${words.version({ version: revision.version, date: words.formatDate(revision.createdAt) })}`, "", indent(revision.body), "");
        }
      }
    }
  }
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}

/** One line, so a title or quote cannot start a heading or list of its own. */
function inline(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}
