import { describe, expect, it } from "vitest";
import { unzipTextFiles } from "@/lib/content/zip";
import { exportFiles, exportZip, JSON_FILES, type AccountExport, type ArchiveWords } from "./export-archive";

const words: ArchiveWords = {
  readmeTitle: "Your data",
  readmeIntro: ({ name, date }) => `Everything of ${name} on ${date}.`,
  fileDescriptions: Object.fromEntries(JSON_FILES.map((name) => [name, `about ${name}`])) as ArchiveWords["fileDescriptions"],
  notesTitle: "Your notes",
  noNotes: "No notes.",
  noteHeading: ({ date, visibility }) => `${date} · ${visibility}`,
  visibility: (value, group) => (group ? `group ${group}` : value),
  replyTo: "Reply to",
  quote: "Quote",
  deleted: "(deleted)",
  purged: "(purged)",
  history: "Earlier versions",
  version: ({ version, date }) => `v${version} ${date}`,
  formatDate: (iso) => iso.slice(0, 10),
};

const base: AccountExport = {
  exportedAt: "2026-11-29T10:00:00.000Z",
  account: { id: "u1", name: "Ada", email: "ada@example.com", emailVerified: true, role: "member", preferredLocale: "en", createdAt: "2026-01-01T00:00:00.000Z" },
  notes: [],
  reactions: [],
  flags: [],
  groups: [],
  notifications: [],
  reading: [],
  apiTokens: [],
};

const note = (extra: Partial<AccountExport["notes"][number]>): AccountExport["notes"][number] => ({
  id: "n1",
  article: { slug: "a-slug", title: "An\ntitle" },
  paragraphKey: "p-1",
  locale: "en",
  kind: "annotation",
  visibility: "private",
  group: null,
  parentId: null,
  rootId: null,
  body: "Body text",
  tag: null,
  quote: { exact: "quoted\nwords", prefix: null, suffix: null },
  status: "visible",
  createdAt: "2026-11-01T00:00:00.000Z",
  editedAt: null,
  deletedAt: null,
  purged: false,
  revisions: [],
  ...extra,
});

describe("the data export archive", () => {
  it("holds one JSON file per kind of data and two Markdown files, all in one folder", () => {
    const files = exportFiles(base, words);
    expect(Object.keys(files).sort()).toEqual([...JSON_FILES.map((n) => `taiyaku-data/${n}.json`), "taiyaku-data/README.md", "taiyaku-data/notes.md"].sort());
    expect(JSON.parse(files["taiyaku-data/account.json"]!)).toEqual({ ...base.account, exportedAt: base.exportedAt });
    expect(files["taiyaku-data/README.md"]).toContain("Everything of Ada on 2026-11-29.");
    expect(files["taiyaku-data/README.md"]).toContain("- [notes.json](notes.json): about notes");
    expect(files["taiyaku-data/notes.md"]).toBe("# Your notes\n\nNo notes.\n");
  });

  it("writes notes by article with quotes on one line, history indented, purged text absent", () => {
    const data = {
      ...base,
      notes: [
        note({ revisions: [{ version: 1, body: "old\n# not a heading", tag: null, createdAt: "2026-10-01T00:00:00.000Z" }] }),
        note({ id: "n2", visibility: "group", group: { id: "g", name: "Circle" }, parentId: "n1", quote: null, body: "reply" }),
        note({ id: "n3", purged: true, body: "", quote: null }),
      ],
    };
    const md = exportFiles(data, words)["taiyaku-data/notes.md"]!;
    expect(md).toContain("## An title\n");
    expect(md).toContain("> Quote: quoted words\n");
    expect(md).toContain("### 2026-11-01 · private (¶ p-1)");
    expect(md).toContain("### 2026-11-01 · group Circle (¶ p-1)\n\n*Reply to* `n1`");
    expect(md).toContain("#### Earlier versions\n\n- v1 2026-10-01\n\n    old\n    # not a heading\n");
    expect(md).toContain("*(purged)*");
    expect(md.match(/^## /gm)).toHaveLength(1);
  });

  it("zips deterministically: the same data gives the same bytes, and it unzips to the same files", () => {
    const data = { ...base, notes: [note({})] };
    const a = exportZip(data, words);
    expect(Buffer.from(exportZip(data, words)).equals(Buffer.from(a))).toBe(true);
    expect(unzipTextFiles(a)).toEqual(exportFiles(data, words));
  });
});
