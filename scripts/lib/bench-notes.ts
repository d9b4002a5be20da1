// Bench fixtures: real accounts (signed up through better-auth, like the sign-up route does) and
// public notes bulk-inserted straight into PostgreSQL. The notes are what the API would have
// stored: comments, replies (depth 1, in their parent's thread and paragraph) and annotations
// whose quote selectors are computed with describeRange from the stored paragraph text, so
// every highlight anchors by position on the page.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { describeRange } from "../../lib/text/anchoring";
import { codePointLength } from "../../lib/text/code-points";

export type BenchUser = { id: string; name: string; cookie: string };
export type BenchParagraph = { id: string; key: string; text: { en: string; ja: string } };

const PASSWORD = "bench password, not a secret";
const tags = [null, "question", "vocabulary", "translation", "insight"] as const;

/**
 * Signs up `count` users in this process (DATABASE_URL and BETTER_AUTH_SECRET must already be
 * those of the server, and set before this is first called) and returns their session cookies.
 */
export async function signUpUsers(count: number, concurrency = 4): Promise<BenchUser[]> {
  const { getAuth } = await import("../../lib/auth/better-auth");
  const auth = getAuth();
  const users: BenchUser[] = new Array(count);
  let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      const name = `Bench reader ${i + 1}`;
      let response: Response | undefined;
      // Hashing is CPU-bound (scrypt): on a busy machine a database connect can time out; retry.
      for (let attempt = 1; ; attempt++) {
        response = await auth.api.signUpEmail({
          body: { email: `bench-${i + 1}-${randomUUID().slice(0, 8)}@example.test`, password: PASSWORD, name },
          asResponse: true,
        });
        if (response.status === 200 || attempt === 3) break;
      }
      if (response.status !== 200) throw new Error(`sign-up ${i + 1} failed: ${response.status} ${await response.text()}`);
      const cookie = response.headers
        .getSetCookie()
        .map((c) => c.split(";")[0]!)
        .filter((c) => c.startsWith("taiyaku."))
        .join("; ");
      if (!cookie.includes("taiyaku.session_token=")) throw new Error(`sign-up ${i + 1}: no session cookie`);
      const body = (await response.json()) as { user: { id: string } };
      users[i] = { id: body.user.id, name, cookie };
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return users;
}

export async function loadParagraphs(db: pg.Pool, slug: string): Promise<{ articleId: string; paragraphs: BenchParagraph[] }> {
  const { rows } = await db.query<{ article_id: string; id: string; key: string; locale: string; text: string }>(
    `SELECT a.id AS article_id, p.id, p.key, t.locale, t.text
       FROM article a JOIN paragraph p ON p.article_id = a.id JOIN paragraph_text t ON t.paragraph_id = p.id
      WHERE a.slug = $1 AND p.position > 0
      ORDER BY p.position`,
    [slug],
  );
  if (!rows.length) throw new Error(`article ${slug} has no paragraphs`);
  const byId = new Map<string, BenchParagraph>();
  for (const row of rows) {
    const p = byId.get(row.id) ?? { id: row.id, key: row.key, text: { en: "", ja: "" } };
    p.text[row.locale as "en" | "ja"] = row.text;
    byId.set(row.id, p);
  }
  return { articleId: rows[0]!.article_id, paragraphs: [...byId.values()].filter((p) => p.text.en && p.text.ja) };
}

/** Deterministic PRNG (mulberry32): the same run seeds the same notes. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random code-point range of 4–40 code points inside `text`, with its selectors. */
export function randomRange(text: string, random: () => number) {
  const length = codePointLength(text);
  const size = Math.min(length, 4 + Math.floor(random() * 37));
  const start = Math.floor(random() * (length - size + 1));
  return describeRange(text, start, start + size);
}

const columns = [
  "id", "article_id", "paragraph_id", "locale", "author_id", "kind", "visibility", "parent_id", "root_id", "depth",
  "body", "tag", "quote_exact", "quote_prefix", "quote_suffix", "pos_start", "pos_end", "client_key", "created_at", "updated_at",
] as const;

/**
 * Inserts `count` public notes: ~50 % paragraph comments, ~30 % annotations, ~20 % replies to
 * earlier top-level notes. Authors rotate over `users`; created_at increases so replies come
 * after their parents. 500 rows per INSERT.
 */
export async function insertNotes(
  db: pg.Pool,
  opts: { articleId: string; paragraphs: BenchParagraph[]; users: BenchUser[]; count: number; seed: number },
): Promise<void> {
  const random = prng(opts.seed);
  const { rows: existing } = await db.query<{ id: string; paragraph_id: string }>(
    "SELECT id, paragraph_id FROM note WHERE article_id = $1 AND parent_id IS NULL AND deleted_at IS NULL LIMIT 5000",
    [opts.articleId],
  );
  const roots = existing.map((r) => ({ id: r.id, paragraphId: r.paragraph_id }));
  // 1 ms apart, ending now: later calls come after earlier ones, replies after their parents.
  const startMs = Date.now() - opts.count;
  let batch: unknown[][] = [];
  const flush = async () => {
    if (!batch.length) return;
    const params: unknown[] = [];
    const values = batch.map((row) => `(${row.map((v) => `$${params.push(v)}`).join(", ")})`);
    await db.query(`INSERT INTO note (${columns.join(", ")}) VALUES ${values.join(", ")}`, params);
    batch = [];
  };
  for (let i = 0; i < opts.count; i++) {
    const author = opts.users[Math.floor(random() * opts.users.length)]!;
    const at = new Date(startMs + i);
    const locale = random() < 0.5 ? "en" : "ja";
    const tag = tags[Math.floor(random() * tags.length)];
    const roll = random();
    const id = randomUUID();
    const clientKey = `seed-${opts.seed}-${i}`;
    if (roll < 0.2 && roots.length) {
      const parent = roots[Math.floor(random() * roots.length)]!;
      batch.push([id, opts.articleId, parent.paragraphId, locale, author.id, "comment", "public", parent.id, parent.id, 1,
        `Reply ${i}: agreed, and the other text says the same.`, null, null, null, null, null, null, clientKey, at, at]);
    } else {
      const paragraph = opts.paragraphs[Math.floor(random() * opts.paragraphs.length)]!;
      if (roll < 0.5) {
        const s = randomRange(paragraph.text[locale], random);
        batch.push([id, opts.articleId, paragraph.id, locale, author.id, "annotation", "public", null, null, 0,
          `Annotation ${i} on “${s.exact}”.`, tag, s.exact, s.prefix, s.suffix, s.start, s.end, clientKey, at, at]);
      } else {
        batch.push([id, opts.articleId, paragraph.id, locale, author.id, "comment", "public", null, null, 0,
          `Comment ${i} about this paragraph and its translation.`, tag, null, null, null, null, null, clientKey, at, at]);
      }
      roots.push({ id, paragraphId: paragraph.id });
    }
    if (batch.length === 500) await flush();
  }
  await flush();
  await db.query("ANALYZE note");
}

/** Public notes only: the group layer's notes are seen by its members, not by the pages counted. */
export async function countNotes(db: pg.Pool, articleId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM note WHERE article_id = $1 AND deleted_at IS NULL AND visibility = 'public'",
    [articleId],
  );
  return rows[0]!.n;
}

/**
 * A study group of `members` (the first one owns it) with `count` group comments spread over
 * the paragraphs: the layer a member reads on top of the public notes.
 */
export async function insertGroupNotes(
  db: pg.Pool,
  opts: { articleId: string; paragraphs: BenchParagraph[]; members: BenchUser[]; count: number },
): Promise<string> {
  const groupId = randomUUID();
  await db.query(`INSERT INTO "group" (id, name, created_by_id, updated_at) VALUES ($1, 'Bench reading circle', $2, now())`, [groupId, opts.members[0]!.id]);
  for (const [index, member] of opts.members.entries()) {
    await db.query(`INSERT INTO group_member (group_id, user_id, role) VALUES ($1, $2, $3)`, [groupId, member.id, index === 0 ? "owner" : "member"]);
  }
  const startMs = Date.now() - opts.count;
  for (let i = 0; i < opts.count; i += 100) {
    const params: unknown[] = [];
    const values: string[] = [];
    for (let j = i; j < Math.min(opts.count, i + 100); j++) {
      const paragraph = opts.paragraphs[j % opts.paragraphs.length]!;
      const author = opts.members[j % opts.members.length]!;
      const at = new Date(startMs + j);
      const row = [randomUUID(), opts.articleId, paragraph.id, "en", author.id, "comment", "group", groupId, `Group note ${j}`, `group-${j}`, at, at];
      values.push(`(${row.map((v) => `$${params.push(v)}`).join(", ")})`);
    }
    await db.query(
      `INSERT INTO note (id, article_id, paragraph_id, locale, author_id, kind, visibility, group_id, body, client_key, created_at, updated_at) VALUES ${values.join(", ")}`,
      params,
    );
  }
  return groupId;
}
