import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import en from "@/messages/en.json";
import ja from "@/messages/ja.json";
import { validateAnnotationCollection, validateAnnotationPage, validateWebAnnotation } from "@/lib/annotations/web-annotation";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";

// Conformance of the W3C Web Annotation Protocol server (ADR 0029), written from the protocol's
// text (REC 2017-02-23) and the W3C test suite's assertions (annotation-protocol/server): one
// test per MUST and SHOULD, then the notes' visibility rule through the protocol (cookie and
// personal API token), scopes and If-Match. Through the route files, so the route decoration
// and the pipeline's preflight are exercised too. Every document produced is validated against
// the W3C model schemas.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));
process.env.LOG_LEVEL = "silent";
const SITE = "https://taiyaku.test";
process.env.SITE_URL = SITE;

const SLUG = "japan-patriot-missile-export";
const CONTAINER = `${SITE}/api/annotations/${SLUG}/`;
const CONTAINER_PATH = `/api/annotations/${SLUG}/`;
const ANNO_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"';
const PREFER = (...iris: string[]) => `return=representation;include="${iris.join(" ")}"`;
const MINIMAL = "http://www.w3.org/ns/ldp#PreferMinimalContainer";
const IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs";
const DESCRIPTIONS = "http://www.w3.org/ns/oa#PreferContainedDescriptions";

type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
type Paragraph = { id: string; key: string; text: Record<string, string> };

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let prisma: Prisma;
let container: Record<string, Handler>;
let annotation: Record<string, Handler>;
let pipelineMeta: typeof import("@/lib/http/endpoint").pipelineMeta;
let createToken: typeof import("@/features/tokens/mutations").createToken;
let articleId: string;
const paragraphs = new Map<string, Paragraph>();
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let dave: TestUser;
let groupId: string;

beforeAll(async () => {
  db = await createAppTestDatabase("annoproto");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  container = (await import("@/app/api/annotations/[slug]/route")) as unknown as Record<string, Handler>;
  annotation = (await import("@/app/api/annotations/[slug]/[id]/route")) as unknown as Record<string, Handler>;
  pipelineMeta = (await import("@/lib/http/endpoint")).pipelineMeta;
  createToken = (await import("@/features/tokens/mutations")).createToken;
  const article = await prisma.article.findUniqueOrThrow({
    where: { slug: SLUG },
    select: { id: true, paragraphs: { where: { position: { gt: 0 } }, select: { id: true, key: true, texts: true } } },
  });
  articleId = article.id;
  for (const p of article.paragraphs) paragraphs.set(p.key, { id: p.id, key: p.key, text: Object.fromEntries(p.texts.map((t) => [t.locale, t.text])) });
  alice = await signUpTestUser("anno-alice");
  bob = await signUpTestUser("anno-bob");
  carol = await signUpTestUser("anno-carol");
  dave = await signUpTestUser("anno-dave");
  const group = await prisma.group.create({ data: { name: "Readers", createdById: alice.id, members: { create: [{ userId: alice.id, role: "owner" }, { userId: carol.id }] } } });
  groupId = group.id;
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

// ---- helpers -----------------------------------------------------------------------------------

type Options = { user?: TestUser | null; bearer?: string; headers?: Record<string, string>; body?: unknown; locale?: "en" | "ja"; path?: string };
type Answer = { status: number; headers: Headers; text: string; body: Json };

async function call(handler: Handler | undefined, method: string, path: string, params: Record<string, string>, options: Options = {}): Promise<Answer> {
  if (!handler) throw new Error(`no ${method} handler`);
  const headers: Record<string, string> = { host: "localhost", "x-ui-locale": options.locale ?? "en", ...options.headers };
  if (options.user) headers.cookie = options.user.cookie;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= ANNO_TYPE;
  }
  const response = await handler(new Request(`http://localhost${path}`, { method, headers, body }), { params: Promise.resolve(params) });
  const text = await response.text();
  let parsed: Json = {};
  try {
    parsed = text ? (JSON.parse(text) as Json) : {};
  } catch {
    parsed = {};
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

const getContainer = (options: Options & { query?: string; method?: string } = {}) =>
  call(container[options.method ?? "GET"] ?? container.GET, options.method ?? "GET", `${options.path ?? CONTAINER_PATH}${options.query ?? ""}`, { slug: SLUG }, options);
const post = (body: unknown, options: Options = {}) => call(container.POST, "POST", CONTAINER_PATH, { slug: SLUG }, { user: alice, ...options, body });
const idOf = (iri: string) => iri.slice(CONTAINER.length);
const getAnno = (id: string, options: Options & { method?: string } = {}) =>
  call(annotation[options.method ?? "GET"] ?? annotation.GET, options.method ?? "GET", `${CONTAINER_PATH}${id}`, { slug: SLUG, id }, options);
const put = (id: string, body: unknown, options: Options = {}) => call(annotation.PUT, "PUT", `${CONTAINER_PATH}${id}`, { slug: SLUG, id }, { user: alice, ...options, body });
const del = (id: string, options: Options = {}) => call(annotation.DELETE, "DELETE", `${CONTAINER_PATH}${id}`, { slug: SLUG, id }, { user: alice, ...options });

function paragraph(key: string): Paragraph {
  const p = paragraphs.get(key);
  if (!p) throw new Error(`no paragraph ${key}`);
  return p;
}

/** A passage of a paragraph that occurs nowhere else in the article (in that language). */
function uniquePassage(key: string, locale = "en", length = 24): { exact: string; start: number; end: number } {
  const text = paragraph(key).text[locale]!;
  for (let start = 0; start + length <= text.length; start += 7) {
    const exact = text.slice(start, start + length);
    const hits = [...paragraphs.values()].reduce((n, p) => n + (p.text[locale]!.split(exact).length - 1), 0);
    if (hits === 1 && !/\s$|^\s/.test(exact)) return { exact, start: [...text.slice(0, start)].length, end: [...text.slice(0, start)].length + [...exact].length };
  }
  throw new Error(`no unique passage in ${key}`);
}

const source = (locale = "en") => `${SITE}/${locale}/articles/${SLUG}`;

function quoteAnnotation(key: string, extra: Json = {}, locale = "en"): Json {
  const { exact } = uniquePassage(key, locale);
  return {
    "@context": "http://www.w3.org/ns/anno.jsonld",
    type: "Annotation",
    body: { type: "TextualBody", value: `A note on ${key} ${randomUUID().slice(0, 6)}`, format: "text/markdown" },
    target: { source: source(locale), selector: { type: "TextQuoteSelector", exact } },
    ...extra,
  };
}

function expectValidAnnotation(doc: Json): void {
  const result = validateWebAnnotation(doc);
  expect(result.errors).toEqual([]);
}

function withContext(item: Json, context: unknown): Json {
  return { "@context": context, ...item };
}

/** Every annotation IRI in the container as this caller sees it, following `next` from `first`. */
async function listedIris(options: Options): Promise<string[]> {
  const first = await getContainer({ ...options, query: "?iris=1&page=0" });
  if (first.status === 404) return [];
  expect(first.status).toBe(200);
  const iris: string[] = [...(first.body.items as string[])];
  let next = first.body.next as string | undefined;
  while (next) {
    const page = await getContainer({ ...options, query: next.slice(CONTAINER.length) });
    expect(page.status).toBe(200);
    iris.push(...(page.body.items as string[]));
    next = page.body.next;
  }
  return iris;
}

async function token(user: TestUser, scopes: ("read" | "write")[]): Promise<string> {
  const created = await createToken(user.id, { name: `t-${randomUUID().slice(0, 6)}`, scopes, expiresInDays: 30 });
  if (!created.ok) throw new Error("token not created");
  return created.token;
}

async function resetWriteBucket(user: TestUser) {
  await prisma.$executeRaw`DELETE FROM rate_limit_bucket WHERE key = ${`notes:user:${user.id}`}`;
}

// ---- the route files ------------------------------------------------------------------------------

describe("route files", () => {
  it("serve every method through the one pipeline, with the summary the API description needs", () => {
    for (const [name, handlers] of [["container", container], ["annotation", annotation]] as const) {
      for (const [method, handler] of Object.entries(handlers)) {
        if (!/^(GET|HEAD|OPTIONS|POST|PUT|PATCH|DELETE)$/.test(method)) continue;
        const meta = pipelineMeta(handler);
        expect({ name, method, piped: meta !== null }).toEqual({ name, method, piped: true });
        if (method !== "OPTIONS") expect(meta!.summary).toMatch(/W3C Web Annotation Protocol/);
      }
    }
    expect(pipelineMeta(container.GET)!.tokens).toBe("read");
    expect(pipelineMeta(container.POST)!.tokens).toBe("write");
    expect(pipelineMeta(annotation.PUT)!.tokens).toBe("write");
    expect(pipelineMeta(annotation.DELETE)!.tokens).toBe("write");
    expect(pipelineMeta(container.POST)!.jsonLd).toBe(true);
  });
});

// ---- §4 containers --------------------------------------------------------------------------------

describe("container retrieval (§4.1)", () => {
  let created: string;
  beforeAll(async () => {
    await resetWriteBucket(alice);
    const answer = await post(quoteAnnotation("p-3", { "taiyaku:visibility": "public" }));
    expect(answer.status, answer.text).toBe(201);
    created = answer.body.id;
  });

  it("MUST support GET: the JSON-LD description by default, typed BasicContainer and AnnotationCollection", async () => {
    const answer = await getContainer();
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe(ANNO_TYPE);
    expect(answer.body.type).toEqual(["BasicContainer", "AnnotationCollection"]);
    expect(answer.body["@context"]).toEqual(expect.arrayContaining(["http://www.w3.org/ns/anno.jsonld", "http://www.w3.org/ns/ldp.jsonld"]));
    expect(validateAnnotationCollection(answer.body).errors).toEqual([]);
    expect(await listedIris({})).toContain(created);
  });

  it("MUST return a Link header on all responses: the container type and ldp#constrainedBy the protocol", async () => {
    for (const answer of [await getContainer(), await getContainer({ path: `/api/annotations/no-such-article/` }), await post({}, { user: null })]) {
      const link = answer.headers.get("link") ?? "";
      expect(link).toContain('<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"');
      expect(link).toContain('<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"');
    }
  });

  it("MUST have an ETag and a Vary with Accept; SHOULD advertise Allow and Accept-Post on GET, HEAD and OPTIONS", async () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      const answer = await getContainer({ method });
      expect({ method, status: answer.status }).toEqual({ method, status: 200 });
      expect(answer.headers.get("allow")).toBe("GET, HEAD, OPTIONS, POST");
      expect(answer.headers.get("accept-post")).toContain('application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"');
      if (method !== "OPTIONS") {
        expect(answer.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]+"$/);
        expect(answer.headers.get("vary")).toMatch(/\bAccept\b/);
      }
    }
  });

  it("MUST support HEAD: the GET headers without a body", async () => {
    const get = await getContainer();
    const head = await getContainer({ method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    for (const name of ["content-type", "etag", "vary", "link", "allow", "content-location"]) expect({ name, value: head.headers.get(name) }).toEqual({ name, value: get.headers.get(name) });
  });

  it("MUST support OPTIONS (200, the CORS preflight of token requests allows the protocol's headers)", async () => {
    const answer = await getContainer({ method: "OPTIONS", headers: { origin: "https://script.example", "access-control-request-method": "POST" } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.headers.get("access-control-allow-headers")).toMatch(/Prefer/);
    expect(answer.headers.get("access-control-allow-headers")).toMatch(/If-Match/);
    expect(answer.headers.get("access-control-allow-methods")).toMatch(/POST/);
  });

  it("its IRI ends in '/': the slash-less address is answered with the slash IRI in Content-Location", async () => {
    expect(CONTAINER.endsWith("/")).toBe(true);
    const answer = await getContainer({ path: `/api/annotations/${SLUG}`, query: "?iris=1" });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-location")).toBe(`${CONTAINER}?iris=1`);
  });

  it("answers 406 for a format it cannot produce (Turtle), JSON for clients that prefer plain JSON", async () => {
    const turtle = await getContainer({ headers: { accept: "text/turtle" } });
    expect(turtle.status).toBe(406);
    expect(turtle.body.message).toBe(en.Annotations.errors.notAcceptable);
    const json = await getContainer({ headers: { accept: "application/json" } });
    expect(json.status).toBe(200);
    expect(json.headers.get("content-type")).toBe("application/json");
    expect(json.headers.get("etag")).not.toBe((await getContainer()).headers.get("etag"));
  });

  it("is caller-dependent: Cache-Control private and Vary on Authorization and Cookie; If-None-Match answers 304", async () => {
    const answer = await getContainer();
    expect(answer.headers.get("cache-control")).toMatch(/\bprivate\b/);
    expect(answer.headers.get("vary")).toMatch(/Authorization/);
    expect(answer.headers.get("vary")).toMatch(/Cookie/);
    const again = await getContainer({ headers: { "if-none-match": answer.headers.get("etag")! } });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    expect(again.headers.get("etag")).toBe(answer.headers.get("etag"));
  });
});

describe("container representations (§4.2)", () => {
  beforeAll(async () => {
    // Enough public annotations for three pages (50 per page).
    const p = paragraph("p-4");
    await prisma.note.createMany({
      data: Array.from({ length: 120 }, (_, i) => ({ articleId, paragraphId: p.id, locale: "en", authorId: bob.id, kind: "comment" as const, visibility: "public" as const, body: `Bulk ${i}`, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) })),
    });
  });

  it("SHOULD include total and modified, a label, first and last; without Prefer, contained descriptions (SHOULD default)", async () => {
    const answer = await getContainer();
    const total = answer.body.total as number;
    expect(total).toBeGreaterThanOrEqual(121);
    expect(answer.body.label).toBe(`Annotations on “Government Regulation Drives Japan’s Export of Patriot Missiles, Reshaping International Defense Relations”`);
    expect(Date.parse(answer.body.modified)).not.toBeNaN();
    expect(answer.body.id).toBe(`${CONTAINER}?iris=0`);
    expect(answer.headers.get("content-location")).toBe(answer.body.id);
    expect(answer.body.first.id).toBe(`${CONTAINER}?iris=0&page=0`);
    expect(answer.body.first.items).toHaveLength(50);
    for (const item of answer.body.first.items) expectValidAnnotation(withContext(item, answer.body["@context"]));
    expect(answer.body.last).toBe(`${CONTAINER}?iris=0&page=${Math.ceil(total / 50) - 1}`);
  });

  it("PreferMinimalContainer: no annotations, no ldp:contains, links to the first and last pages; Vary includes Prefer; its own IRI", async () => {
    const answer = await getContainer({ headers: { prefer: PREFER(MINIMAL) } });
    expect(answer.status).toBe(200);
    expect(answer.body.items).toBeUndefined();
    expect(answer.body["ldp:contains"]).toBeUndefined();
    expect(answer.body.contains).toBeUndefined();
    expect(typeof answer.body.first).toBe("string");
    expect(typeof answer.body.last).toBe("string");
    expect(answer.body.total).toBeGreaterThan(0);
    expect(answer.headers.get("vary")).toMatch(/Prefer/);
    expect(answer.headers.get("prefer")).toBeNull();
    expect(answer.headers.get("preference-applied")).toBe("return=representation");
    expect(answer.body.id).toBe(`${CONTAINER}?iris=0&minimal=1`);
    expect(answer.headers.get("content-location")).toBe(answer.body.id);
    expect(validateAnnotationCollection(answer.body).errors).toEqual([]);
    // The linked first page has full descriptions (SHOULD return the full annotation descriptions).
    const first = await getContainer({ query: answer.body.first.slice(CONTAINER.length) });
    expect(first.body.items.every((item: Json) => item.type === "Annotation")).toBe(true);
  });

  it("PreferContainedIRIs: the first page's items are only the annotations' IRIs, and so are the linked pages'", async () => {
    const answer = await getContainer({ headers: { prefer: PREFER(IRIS) } });
    expect(answer.body.id).toBe(`${CONTAINER}?iris=1`);
    expect(answer.headers.get("content-location")).toBe(`${CONTAINER}?iris=1`);
    expect(answer.body.first.items.every((item: unknown) => typeof item === "string" && item.startsWith(CONTAINER))).toBe(true);
    const second = await getContainer({ query: answer.body.first.next.slice(CONTAINER.length) });
    expect(second.body.items.every((item: unknown) => typeof item === "string")).toBe(true);
    expect(validateAnnotationCollection(answer.body).errors).toEqual([]);
  });

  it("PreferContainedDescriptions: complete inline annotations", async () => {
    const answer = await getContainer({ headers: { prefer: PREFER(DESCRIPTIONS) } });
    expect(answer.body.id).toBe(`${CONTAINER}?iris=0`);
    expect(answer.body.first.items[0].type).toBe("Annotation");
  });

  it("each representation is its own IRI: GET of ?iris=1 is what Prefer: IRIs gives, and the ETags differ", async () => {
    const named = await getContainer({ query: "?iris=1" });
    const preferred = await getContainer({ headers: { prefer: PREFER(IRIS) } });
    expect(named.body).toEqual(preferred.body);
    const minimal = await getContainer({ query: "?iris=0&minimal=1" });
    expect(minimal.body.first).toBe(`${CONTAINER}?iris=0&page=0`);
    const etags = new Set([named, minimal, await getContainer()].map((a) => a.headers.get("etag")));
    expect(etags.size).toBe(3);
  });

  it("AnnotationPages: partOf (an object with total), startIndex, next except on the last, prev except on the first", async () => {
    const total = (await getContainer()).body.total as number;
    const last = Math.ceil(total / 50) - 1;
    const seen = new Set<string>();
    for (let n = 0; n <= last; n++) {
      const page = await getContainer({ query: `?iris=0&page=${n}` });
      expect(page.status).toBe(200);
      expect(validateAnnotationPage(page.body).errors).toEqual([]);
      for (const item of page.body.items) {
        expectValidAnnotation(withContext(item, page.body["@context"]));
        seen.add(item.id);
      }
      expect(page.body.id).toBe(`${CONTAINER}?iris=0&page=${n}`);
      expect(page.headers.get("content-location")).toBe(page.body.id);
      expect(page.body.partOf).toMatchObject({ id: `${CONTAINER}?iris=0`, total });
      expect(page.body.startIndex).toBe(n * 50);
      expect(page.body.next).toBe(n < last ? `${CONTAINER}?iris=0&page=${n + 1}` : undefined);
      expect(page.body.prev).toBe(n > 0 ? `${CONTAINER}?iris=0&page=${n - 1}` : undefined);
      // A page is not a container: no LDP type.
      expect(page.headers.get("link")).not.toContain("BasicContainer");
    }
    expect(seen.size).toBe(total);
    expect((await getContainer({ query: `?iris=0&page=${last + 1}` })).status).toBe(404);
    expect((await getContainer({ query: "?page=1e400" })).status).toBe(422);
  });
});

// ---- §5 creation, update, deletion ---------------------------------------------------------------

describe("creating annotations (§5.1)", () => {
  it("POST → 201, the new IRI (inside the container) in id and Location, an ETag; the document validates", async () => {
    await resetWriteBucket(alice);
    const answer = await post(quoteAnnotation("p-5"));
    expect(answer.status, answer.text).toBe(201);
    expect(answer.body.id.startsWith(CONTAINER)).toBe(true);
    expect(answer.headers.get("location")).toBe(answer.body.id);
    expect(answer.headers.get("etag")).toBe(`"${idOf(answer.body.id)}-v1"`);
    expect(answer.headers.get("content-type")).toBe(ANNO_TYPE);
    expectValidAnnotation(answer.body);
    expect(answer.body.creator).toMatchObject({ type: "Person", name: "anno-alice" });
    expect(Date.parse(answer.body.created)).not.toBeNaN();
  });

  it("with REQUIRE_VERIFIED_EMAIL, an unconfirmed address may POST private annotations but not public ones (422, said so)", async () => {
    await resetWriteBucket(alice);
    const verified = (await prisma.user.findUniqueOrThrow({ where: { id: alice.id }, select: { emailVerified: true } })).emailVerified;
    await prisma.user.update({ where: { id: alice.id }, data: { emailVerified: false } });
    process.env.REQUIRE_VERIFIED_EMAIL = "1";
    try {
      const refused = await post(quoteAnnotation("p-7", { "taiyaku:visibility": "public" }));
      expect(refused.status).toBe(422);
      expect(refused.body.message).toBe("Confirm your email address to publish public or group annotations. Private annotations work without it.");
      expect((await post(quoteAnnotation("p-7"))).status).toBe(201);
    } finally {
      delete process.env.REQUIRE_VERIFIED_EMAIL;
      await prisma.user.update({ where: { id: alice.id }, data: { emailVerified: verified } });
    }
  });

  it("anchors on the words it quotes (fragment p-N refined by quote and position, code points in the paragraph)", async () => {
    const passage = uniquePassage("p-6");
    const answer = await post(quoteAnnotation("p-6"));
    const selectors = answer.body.target.selector as Json[];
    expect(answer.body.target.source).toBe(source("en"));
    expect(selectors[0]).toMatchObject({ type: "FragmentSelector", value: "p-6", refinedBy: { type: "TextQuoteSelector", exact: passage.exact } });
    expect(selectors[1]).toMatchObject({ type: "FragmentSelector", value: "p-6", refinedBy: { type: "TextPositionSelector", start: passage.start, end: passage.end } });
    const row = await prisma.note.findUniqueOrThrow({ where: { id: idOf(answer.body.id) }, select: { paragraphId: true, posStart: true, posEnd: true, quoteExact: true, kind: true } });
    expect(row).toEqual({ paragraphId: paragraph("p-6").id, posStart: passage.start, posEnd: passage.end, quoteExact: passage.exact, kind: "annotation" });
  });

  it("anchors a Japanese quote on the Japanese text, and a fragment-only comment on its paragraph", async () => {
    await resetWriteBucket(alice);
    const ja = await post(quoteAnnotation("p-7", {}, "ja"));
    expect(ja.status, ja.text).toBe(201);
    expect(ja.body.target.source).toBe(source("ja"));
    const comment = await post({
      "@context": "http://www.w3.org/ns/anno.jsonld",
      type: "Annotation",
      bodyValue: "About this paragraph",
      target: { source: source("en"), selector: { type: "FragmentSelector", value: "p-8" } },
    });
    expect(comment.status, comment.text).toBe(201);
    expect(comment.body.motivation).toBe("commenting");
    expect(comment.body.target.selector).toMatchObject({ type: "FragmentSelector", value: "p-8" });
  });

  it("anchors an annotation made on the original publication (Hypothesis style: the source URL and a quote)", async () => {
    await prisma.article.update({ where: { id: articleId }, data: { sourceUrl: "https://news.example/patriot" } });
    const { exact } = uniquePassage("p-9");
    const answer = await post({
      "@context": "http://www.w3.org/ns/anno.jsonld",
      type: "Annotation",
      id: `https://hypothes.is/a/${randomUUID()}`,
      body: [{ type: "TextualBody", value: "From elsewhere" }, { type: "TextualBody", purpose: "tagging", value: "insight" }],
      target: [{ source: "https://news.example/patriot", selector: [{ type: "RangeSelector" }, { type: "TextQuoteSelector", exact }] }],
    });
    expect(answer.status, answer.text).toBe(201);
    expect(answer.body.target.selector[0].value).toBe("p-9");
    expect(answer.body.body).toEqual(expect.arrayContaining([{ type: "TextualBody", purpose: "tagging", value: "insight" }]));
  });

  it("a client id becomes via; canonical MUST be kept unchanged; the same id posted again is a 409", async () => {
    await resetWriteBucket(alice);
    const clientId = `https://elsewhere.example/anno/${randomUUID()}`;
    const canonical = `urn:uuid:${randomUUID()}`;
    const answer = await post(quoteAnnotation("p-10", { id: clientId, canonical }));
    expect(answer.status, answer.text).toBe(201);
    expect(answer.body.id).not.toBe(clientId);
    expect(answer.body.via).toBe(clientId);
    expect(answer.body.canonical).toBe(canonical);
    expect((await getAnno(idOf(answer.body.id), { user: alice })).body.canonical).toBe(canonical);
    const again = await post(quoteAnnotation("p-10", { id: clientId }));
    expect(again.status).toBe(409);
    expect(again.body.existing).toBe(answer.body.id);
  });

  it("SHOULD use a Slug when it is free (our ids are uuids); a taken or non-uuid Slug gets an id of ours", async () => {
    await resetWriteBucket(alice);
    const wanted = randomUUID();
    const first = await post(quoteAnnotation("p-11"), { headers: { slug: wanted } });
    expect(first.status, first.text).toBe(201);
    expect(first.headers.get("location")).toBe(`${CONTAINER}${wanted}`);
    const taken = await post(quoteAnnotation("p-11"), { headers: { slug: wanted } });
    expect(taken.status).toBe(201);
    expect(idOf(taken.body.id)).not.toBe(wanted);
    const named = await post(quoteAnnotation("p-11"), { headers: { slug: "my_first_annotation" } });
    expect(named.status).toBe(201);
    expect(idOf(named.body.id)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("is private unless it says otherwise: taiyaku:visibility, audience Public, or a group the author is in", async () => {
    await resetWriteBucket(alice);
    const privateOne = await post(quoteAnnotation("p-12"));
    expect(privateOne.body["taiyaku:visibility"]).toBe("private");
    expect((await getAnno(idOf(privateOne.body.id), { user: bob })).status).toBe(404);
    expect((await getAnno(idOf(privateOne.body.id))).status).toBe(404);

    const publicOne = await post(quoteAnnotation("p-12", { audience: "https://www.w3.org/ns/activitystreams#Public" }));
    expect(publicOne.body["taiyaku:visibility"]).toBe("public");
    expect((await getAnno(idOf(publicOne.body.id))).status).toBe(200);

    const groupOne = await post(quoteAnnotation("p-12", { "taiyaku:visibility": "group", "taiyaku:group": { id: `${SITE}/groups/${groupId}` } }));
    expect(groupOne.status, groupOne.text).toBe(201);
    expect(groupOne.body["taiyaku:group"]).toMatchObject({ id: `${SITE}/groups/${groupId}`, name: "Readers" });
    expect((await getAnno(idOf(groupOne.body.id), { user: carol })).status).toBe(200);
    expect((await getAnno(idOf(groupOne.body.id), { user: dave })).status).toBe(404);

    const notMine = await post(quoteAnnotation("p-12", { "taiyaku:visibility": "group", "taiyaku:group": `${SITE}/groups/${groupId}` }), { user: dave });
    expect(notMine.status).toBe(422);
    expect(notMine.body.code).toBe("group_not_found");
  });

  it("a reply targets its parent annotation (motivation replying) and joins its thread", async () => {
    await resetWriteBucket(alice);
    const parent = await post(quoteAnnotation("p-13", { "taiyaku:visibility": "public" }));
    const reply = await post({ "@context": "http://www.w3.org/ns/anno.jsonld", type: "Annotation", motivation: "replying", bodyValue: "I agree", target: parent.body.id }, { user: bob });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body.target).toBe(parent.body.id);
    expect(reply.body.motivation).toBe("replying");
    expectValidAnnotation(reply.body);
    const row = await prisma.note.findUniqueOrThrow({ where: { id: idOf(reply.body.id) }, select: { parentId: true, visibility: true } });
    expect(row).toEqual({ parentId: idOf(parent.body.id), visibility: "public" });
  });

  it("refuses an annotation that anchors nowhere with 422 and a message, in the caller's language", async () => {
    await resetWriteBucket(alice);
    const cases: [Json | string, string][] = [
      [{ source: source("en"), selector: { type: "TextQuoteSelector", exact: "words that are not in this article at all" } }, "quoteNotFound"],
      [{ source: source("en"), selector: { type: "FragmentSelector", value: "p-999" } }, "fragmentNotFound"],
      [{ source: `${SITE}/en/articles/another-article`, selector: { type: "FragmentSelector", value: "p-1" } }, "wrongArticle"],
      ["http://www.example.com/index.html", "unknownSource"],
      [`${CONTAINER}${randomUUID()}`, "parentNotFound"],
    ];
    for (const [target, key] of cases) {
      const answer = await post({ "@context": "http://www.w3.org/ns/anno.jsonld", type: "Annotation", bodyValue: "x", target }, { locale: "ja" });
      expect({ key, status: answer.status }).toEqual({ key, status: 422 });
      expect(answer.body.message).toBe(ja.Annotations.errors[key as keyof typeof ja.Annotations.errors]);
    }
  });

  it("refuses what is not a Web Annotation (400) and bodies that are not JSON-LD/JSON (415)", async () => {
    const answer = await post({ "@context": "http://www.w3.org/ns/anno.jsonld", type: "Note", target: source() });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("invalid_annotation");
    const turtle = await post("<> a <http://www.w3.org/ns/oa#Annotation> .", { headers: { "content-type": "text/turtle" } });
    expect(turtle.status).toBe(415);
  });

  it("unsupported tags are refused rather than dropped", async () => {
    const answer = await post(quoteAnnotation("p-14", { body: [{ type: "TextualBody", purpose: "tagging", value: "random" }] }));
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe("unsupported_tag");
  });

  it("writes need credentials: 401 with WWW-Authenticate Bearer; a read token is 403; a write token works cross-origin", async () => {
    const anonymous = await post(quoteAnnotation("p-14"), { user: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer /);
    const reader = await post(quoteAnnotation("p-14"), { user: null, bearer: await token(alice, ["read"]) });
    expect(reader.status).toBe(403);
    expect(reader.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    await resetWriteBucket(alice);
    const writer = await post(quoteAnnotation("p-14"), { user: null, bearer: await token(alice, ["write"]), headers: { origin: "https://script.example" } });
    expect(writer.status, writer.text).toBe(201);
    expect(writer.headers.get("access-control-allow-origin")).toBe("*");
    expect(writer.headers.get("access-control-expose-headers")).toMatch(/ETag/);
    expect(writer.headers.get("access-control-expose-headers")).toMatch(/Location/);
    // A cookie write from another site is refused (same-origin for cookies).
    const forged = await post(quoteAnnotation("p-14"), { headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    expect(forged.status).toBe(403);
  });

  it("shares the notes' rate limit: 429 with Retry-After", async () => {
    await prisma.$executeRaw`INSERT INTO rate_limit_bucket (key, tokens, updated_at) VALUES (${`notes:user:${alice.id}`}, 0, clock_timestamp())
      ON CONFLICT (key) DO UPDATE SET tokens = 0, updated_at = clock_timestamp()`;
    const answer = await post(quoteAnnotation("p-15"));
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    await resetWriteBucket(alice);
  });
});

describe("annotation retrieval (§3)", () => {
  let id: string;
  beforeAll(async () => {
    await resetWriteBucket(alice);
    id = idOf((await post(quoteAnnotation("p-16", { "taiyaku:visibility": "public" }))).body.id);
  });

  it("MUST support GET with the JSON-LD media type, a Link to ldp#Resource, an ETag, Allow and Vary: Accept", async () => {
    const answer = await getAnno(id);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe(ANNO_TYPE);
    expect(answer.headers.get("link")).toMatch(/<http:\/\/www\.w3\.org\/ns\/ldp#Resource>;\s*rel="type"/);
    expect(answer.headers.get("etag")).toBe(`"${id}-v1"`);
    expect(answer.headers.get("allow")).toBe("GET, HEAD, OPTIONS, PUT, DELETE");
    expect(answer.headers.get("vary")).toMatch(/\bAccept\b/);
    expect(answer.headers.get("cache-control")).toMatch(/\bprivate\b/);
    expectValidAnnotation(answer.body);
  });

  it("MUST support HEAD (headers, no body) and OPTIONS (200)", async () => {
    const head = await getAnno(id, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    expect(head.headers.get("etag")).toBe(`"${id}-v1"`);
    const options = await getAnno(id, { method: "OPTIONS" });
    expect(options.status).toBe(200);
    expect(options.headers.get("allow")).toBe("GET, HEAD, OPTIONS, PUT, DELETE");
  });

  it("406 for Turtle; 304 for a matching If-None-Match; 404 for an unknown id", async () => {
    expect((await getAnno(id, { headers: { accept: "text/turtle" } })).status).toBe(406);
    const notModified = await getAnno(id, { headers: { "if-none-match": `"${id}-v1"` } });
    expect(notModified.status).toBe(304);
    expect((await getAnno(randomUUID())).status).toBe(404);
  });
});

describe("updating and deleting (§5.3, §5.4)", () => {
  it("PUT with the current If-Match → 200 and the new state (modified, the next ETag); a stale one → 412", async () => {
    await resetWriteBucket(alice);
    const created = await post(quoteAnnotation("p-17"));
    const id = idOf(created.body.id);
    const changed = { ...created.body, body: { type: "TextualBody", value: "Changed my mind", format: "text/markdown" } };
    const updated = await put(id, changed, { headers: { "if-match": `"${id}-v1"` } });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.body.value).toBe("Changed my mind");
    expect(Date.parse(updated.body.modified)).not.toBeNaN();
    expect(updated.headers.get("etag")).toBe(`"${id}-v2"`);
    expectValidAnnotation(updated.body);
    const stale = await put(id, changed, { headers: { "if-match": `"${id}-v1"` } });
    expect(stale.status).toBe(412);
    expect(stale.body.message).toBe(en.Annotations.errors.preconditionFailed);
    // Without If-Match a PUT is accepted (the protocol makes If-Match a SHOULD for clients).
    const blind = await put(id, { ...changed, body: { type: "TextualBody", value: "Third" } });
    expect(blind.status).toBe(200);
    expect(blind.headers.get("etag")).toBe(`"${id}-v3"`);
  });

  it("refuses a PUT that moves the target or changes via/canonical (409); others' annotations are not theirs to change", async () => {
    await resetWriteBucket(alice);
    const created = await post(quoteAnnotation("p-18", { id: `https://elsewhere.example/${randomUUID()}`, "taiyaku:visibility": "public" }));
    const id = idOf(created.body.id);
    const moved = await put(id, quoteAnnotation("p-19"));
    expect(moved.status).toBe(409);
    expect(moved.body.field).toBe("target");
    const via = await put(id, { ...created.body, via: "https://elsewhere.example/other" });
    expect(via.status).toBe(409);
    expect(via.body.field).toBe("via");
    const canonical = await put(id, { ...created.body, canonical: "urn:uuid:new" });
    expect(canonical.status).toBe(409);
    const byBob = await put(id, created.body, { user: bob });
    expect(byBob.status).toBe(403);
    const anonymous = await put(id, created.body, { user: null });
    expect(anonymous.status).toBe(401);
  });

  it("DELETE → 204 (a stale If-Match is 412); then 410 for those who could see it, gone from the container", async () => {
    await resetWriteBucket(alice);
    const created = await post(quoteAnnotation("p-20", { "taiyaku:visibility": "public" }));
    const id = idOf(created.body.id);
    expect((await del(id, { headers: { "if-match": `"${id}-v9"` } })).status).toBe(412);
    const before = (await getContainer({ user: alice })).body.total as number;
    const deleted = await del(id, { headers: { "if-match": `"${id}-v1"` } });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect((await getAnno(id, { user: alice })).status).toBe(410);
    expect((await getAnno(id)).status).toBe(410);
    expect((await getContainer({ user: alice })).body.total).toBe(before - 1);
    expect(await listedIris({ user: alice })).not.toContain(created.body.id);
    expect((await del(id)).status).toBe(410);
  });
});

// ---- visibility through the protocol -------------------------------------------------------------

describe("visibility matrix (cookie and token)", () => {
  type Viewer = { name: string; options: Options };
  const notes: Record<string, string> = {};
  let viewers: Viewer[];

  beforeAll(async () => {
    const p = paragraph("p-21");
    const make = async (name: string, data: Partial<import("@/lib/generated/prisma/client").Prisma.NoteUncheckedCreateInput>) => {
      const row = await prisma.note.create({
        data: { articleId, paragraphId: p.id, locale: "en", authorId: alice.id, kind: "comment", visibility: "public", body: `matrix ${name}`, ...data },
      });
      notes[name] = row.id;
    };
    await make("public", { authorId: bob.id });
    await make("private", { visibility: "private" });
    await make("group", { visibility: "group", groupId });
    await make("hidden", { authorId: bob.id, status: "hidden" });
    await make("pending", { authorId: carol.id, visibility: "group", groupId, status: "pending" });
    await make("deleted", { authorId: bob.id, deletedAt: new Date() });
    await make("purged", { authorId: bob.id, body: "", deletedAt: new Date(), purgedAt: new Date(), deletedById: alice.id });
    await make("deletedPrivate", { visibility: "private", deletedAt: new Date() });
    viewers = [
      { name: "anonymous", options: {} },
      { name: "alice cookie", options: { user: alice } },
      { name: "alice token", options: { bearer: await token(alice, ["read"]) } },
      { name: "bob token", options: { bearer: await token(bob, ["read"]) } },
      { name: "carol cookie", options: { user: carol } },
      { name: "carol token", options: { bearer: await token(carol, ["read"]) } },
      { name: "dave token", options: { bearer: await token(dave, ["read"]) } },
    ];
  });

  // note → viewer → GET status; 200 means it is also listed in the container, nothing else is.
  const expected: Record<string, Record<string, number>> = {
    public: { anonymous: 200, "alice cookie": 200, "alice token": 200, "bob token": 200, "carol cookie": 200, "carol token": 200, "dave token": 200 },
    private: { anonymous: 404, "alice cookie": 200, "alice token": 200, "bob token": 404, "carol cookie": 404, "carol token": 404, "dave token": 404 },
    group: { anonymous: 404, "alice cookie": 200, "alice token": 200, "bob token": 404, "carol cookie": 200, "carol token": 200, "dave token": 404 },
    hidden: { anonymous: 404, "alice cookie": 404, "alice token": 404, "bob token": 200, "carol cookie": 404, "carol token": 404, "dave token": 404 },
    pending: { anonymous: 404, "alice cookie": 404, "alice token": 404, "bob token": 404, "carol cookie": 200, "carol token": 200, "dave token": 404 },
    deleted: { anonymous: 410, "alice cookie": 410, "alice token": 410, "bob token": 410, "carol cookie": 410, "carol token": 410, "dave token": 410 },
    purged: { anonymous: 410, "alice cookie": 410, "alice token": 410, "bob token": 410, "carol cookie": 410, "carol token": 410, "dave token": 410 },
    deletedPrivate: { anonymous: 404, "alice cookie": 410, "alice token": 410, "bob token": 404, "carol cookie": 404, "carol token": 404, "dave token": 404 },
  };

  it("by id: public to all, private to its author, group to current members, hidden/pending to their author, 410 once deleted for those who could see it", async () => {
    for (const viewer of viewers) {
      for (const [name, id] of Object.entries(notes)) {
        const answer = await getAnno(id, viewer.options);
        expect({ viewer: viewer.name, note: name, status: answer.status }).toEqual({ viewer: viewer.name, note: name, status: expected[name]![viewer.name] });
        // Purged or deleted content never leaves the server.
        if (answer.status !== 200) expect(answer.text).not.toContain(`matrix ${name}`);
      }
    }
  });

  it("in the container's pages and totals: exactly what the viewer may read", async () => {
    for (const viewer of viewers) {
      const listed = new Set(await listedIris(viewer.options));
      for (const [name, id] of Object.entries(notes)) {
        const shown = expected[name]![viewer.name] === 200;
        expect({ viewer: viewer.name, note: name, listed: listed.has(`${CONTAINER}${id}`) }).toEqual({ viewer: viewer.name, note: name, listed: shown });
      }
      expect((await getContainer(viewer.options)).body.total).toBe(listed.size);
    }
  });

  it("token scopes and revocation: a write-only token cannot read (403), a revoked one is 401", async () => {
    const writeOnly = await getContainer({ bearer: await token(alice, ["write"]) });
    expect(writeOnly.status).toBe(403);
    const readToken = await token(alice, ["read"]);
    await prisma.apiToken.updateMany({ where: { userId: alice.id, revokedAt: null }, data: { revokedAt: new Date() } });
    const revoked = await getAnno(notes.private!, { bearer: readToken });
    expect(revoked.status).toBe(401);
    // The container's Link types are on refusals too.
    expect(revoked.headers.get("link")).toBeNull();
    expect((await getContainer({ bearer: readToken })).headers.get("link")).toContain("BasicContainer");
  });
});
