import { expect, SLUG, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { openProfilePanel } from "./support/profile";

// The W3C Web Annotation Protocol end to end (ADR 0029): a reader creates a personal API token
// on the profile page; a script (Playwright's `request`: no browser cookies) discovers the
// article's annotation container from the reader page's Link header, POSTs an annotation with
// the token, reads it back; the reader reloads the page and sees the highlight drawn. Also the
// trailing-slash rule: the container's IRI ends in "/", pages lose theirs.

const ANNO_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"';

test.beforeEach(async ({ context }) => {
  await useOwnAddress(context);
});

test("a script posts an annotation with a personal token; the reader sees it highlighted", async ({ page, context, request }) => {
  await signUp(context, { locale: "en" });

  // The token, from the profile page (write scope for POST, read for GET).
  await page.goto("/en/profile");
  await openProfilePanel(page, "profile-tokens");
  await page.getByLabel("Token name").fill("Annotation script");
  await page.getByLabel("Write (create, edit and delete notes)").check();
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByTestId("token-value").inputValue();
  expect(token).toMatch(/^tyk_/);

  // Discovery: the reader page links its annotation service (protocol §4.3).
  const readerUrl = `/en/articles/${SLUG}`;
  const readerPage = await request.get(readerUrl);
  expect(readerPage.status()).toBe(200);
  const link = readerPage.headers()["link"] ?? "";
  const service = /<([^>]+)>;\s*rel="http:\/\/www\.w3\.org\/ns\/oa#annotationService"/.exec(link);
  expect(service?.[1]).toBe(`/api/annotations/${SLUG}/`);
  const containerUrl = new URL(service![1]!, readerPage.url()).pathname;

  // The container answers at its IRI with the trailing slash (Next does not redirect it away).
  const auth = { authorization: `Bearer ${token}` };
  const listing = await request.get(containerUrl, { headers: auth });
  expect(listing.status()).toBe(200);
  expect(listing.headers()["content-type"]).toBe(ANNO_TYPE);
  expect(listing.headers()["link"]).toContain("http://www.w3.org/ns/ldp#BasicContainer");
  expect(new URL(listing.headers()["content-location"]!).pathname).toBe(containerUrl);
  const slashless = await request.get(containerUrl.replace(/\/$/, ""), { headers: auth, maxRedirects: 0 });
  expect(slashless.status()).toBe(200);
  expect(new URL(slashless.headers()["content-location"]!).pathname).toBe(containerUrl);
  // Pages keep one address without the slash.
  const pageWithSlash = await request.get(`${readerUrl}/`, { maxRedirects: 0 });
  expect(pageWithSlash.status()).toBe(308);
  expect(new URL(pageWithSlash.headers()["location"]!, readerPage.url()).pathname).toBe(readerUrl);

  // The script quotes a few words of paragraph 3 and POSTs the annotation.
  await page.goto(readerUrl);
  const text = (await page.locator('#p-3 .para-body > [data-text-locale="en"]').textContent()) ?? "";
  const passage = text.split(" ").slice(3, 7).join(" ");
  expect(passage.length).toBeGreaterThan(8);
  const created = await request.post(containerUrl, {
    headers: { ...auth, "content-type": ANNO_TYPE, origin: "https://script.example" },
    data: {
      "@context": "http://www.w3.org/ns/anno.jsonld",
      type: "Annotation",
      body: { type: "TextualBody", value: "Posted by a script", format: "text/markdown" },
      target: { source: new URL(readerUrl, readerPage.url()).href, selector: { type: "TextQuoteSelector", exact: passage } },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const annotation = await created.json();
  expect(created.headers()["location"]).toBe(annotation.id);
  expect(created.headers()["access-control-allow-origin"]).toBe("*");
  expect(annotation.target.selector[0]).toMatchObject({ type: "FragmentSelector", value: "p-3", refinedBy: { exact: passage } });

  // It reads back with its ETag; HEAD has the headers and no body.
  const location = new URL(annotation.id).pathname;
  const read = await request.get(location, { headers: auth });
  expect(read.status()).toBe(200);
  const etag = read.headers()["etag"];
  expect(etag).toMatch(/^"[0-9a-f-]{36}-v1"$/);
  const head = await request.head(location, { headers: auth });
  expect(head.status()).toBe(200);
  expect(head.headers()["etag"]).toBe(etag);
  expect(await head.text()).toBe("");

  // The reader (signed in as the token's owner) sees the private annotation drawn in the text.
  await page.reload();
  await expect(page.locator("#p-3 mark.hl")).toHaveText(passage);
});
