import { expect, SLUG, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { openProfilePanel } from "./support/profile";

// Import notes on the profile page (ADR 0031), in both interface languages: a W3C JSON-LD file
// (one annotation on words of ¶3 as another Taiyaku server would write it, one on a page we do
// not serve) is uploaded, the report lists what landed and what did not, and the reader draws the
// imported note on its words. The same file again, in Japanese: everything skipped.

test.beforeEach(async ({ context }) => {
  await useOwnAddress(context);
});

test("import a JSON-LD file on the profile page, read the report, see the note in the reader; again: skipped", async ({ page, context, expectNoA11yViolations }) => {
  await signUp(context, { locale: "en" });
  const readerUrl = `/en/articles/${SLUG}`;
  await page.goto(readerUrl);
  const text = (await page.locator('#p-3 .para-body > [data-text-locale="en"]').textContent()) ?? "";
  const passage = text.split(" ").slice(2, 6).join(" ");
  expect(passage.length).toBeGreaterThan(8);

  const file = JSON.stringify({
    "@context": "http://www.w3.org/ns/anno.jsonld",
    type: "AnnotationCollection",
    total: 2,
    first: {
      type: "AnnotationPage",
      startIndex: 0,
      items: [
        {
          type: "Annotation",
          id: `https://old-server.example/api/annotations/${SLUG}/0b8a2f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b`,
          motivation: "commenting",
          body: { type: "TextualBody", value: "Imported from my old server", format: "text/markdown", language: "en" },
          target: {
            source: `https://old-server.example/en/articles/${SLUG}`,
            selector: { type: "FragmentSelector", value: "p-3", refinedBy: { type: "TextQuoteSelector", exact: passage } },
          },
        },
        {
          type: "Annotation",
          id: "https://hypothes.is/a/elsewhere-1",
          body: { type: "TextualBody", value: "On another site" },
          target: { source: "https://blog.example.test/post", selector: { type: "TextQuoteSelector", exact: "some words" } },
        },
      ],
    },
  });
  const upload = { name: "notes.jsonld", mimeType: "application/ld+json", buffer: Buffer.from(file) };

  await page.goto("/en/profile");
  const section = page.getByTestId("import-notes");
  await expect(page.getByRole("heading", { name: "Import notes" })).toBeVisible();
  await openProfilePanel(page, "profile-import");
  await section.getByLabel("File (.jsonld or .json, at most 20 MB)").setInputFiles(upload);
  await expect(section.getByLabel("Import as")).toHaveValue("");
  await section.getByRole("button", { name: "Import" }).click();

  const report = page.getByTestId("import-report");
  await expect(page.getByTestId("import-summary")).toHaveText("1 note imported from 2 annotations: none skipped, 1 not anchored.");
  await expect(page.getByRole("heading", { name: "Import report" })).toBeFocused();
  await expect(report.getByTestId("import-not-anchored")).toContainText("https://hypothes.is/a/elsewhere-1");
  await expect(report.getByTestId("import-not-anchored")).toContainText("Its page is not an article here that you can read.");
  await expectNoA11yViolations();

  // The imported note is the reader's own private note, drawn on the words it quoted.
  await page.goto(readerUrl);
  await expect(page.locator("#p-3 mark.hl")).toHaveText(passage);

  // The same file from the Japanese profile page: nothing new, reported in Japanese.
  await page.goto("/ja/profile");
  await openProfilePanel(page, "profile-import");
  const sectionJa = page.getByTestId("import-notes");
  await sectionJa.getByLabel("ファイル（.jsonld または .json、20 MB まで）").setInputFiles(upload);
  await sectionJa.getByRole("button", { name: "インポート" }).click();
  await expect(page.getByTestId("import-summary")).toHaveText("2 件の注釈のうち取り込んだメモはありません（スキップ 1 件、位置を特定できなかったもの 1 件）。");
  await expect(page.getByTestId("import-skipped")).toContainText("取り込み済みです");
  await expectNoA11yViolations();
});

test.describe("refusals", () => {
  // The 422 answer is logged by the browser as a failed resource load: expected here.
  test.use({ allowHttpErrorStatus: true });

  test("a file that is not Web Annotations is refused with the first problems listed", async ({ page, context }) => {
    await signUp(context, { locale: "en" });
    await page.goto("/en/profile");
    await openProfilePanel(page, "profile-import");
    const section = page.getByTestId("import-notes");
    await section.getByLabel("File (.jsonld or .json, at most 20 MB)").setInputFiles({ name: "notes.json", mimeType: "application/json", buffer: Buffer.from('{"hello":"world"}') });
    await section.getByRole("button", { name: "Import" }).click();
    const alert = page.getByTestId("import-error");
    await expect(alert).toContainText("This file is not W3C Web Annotation JSON-LD that can be imported; nothing was imported.");
    await expect(alert.getByRole("listitem")).toHaveCount(1);
    await expect(page.getByTestId("import-report")).toHaveCount(0);
  });
});
