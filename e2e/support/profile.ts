import { expect, type Page } from "@playwright/test";

/**
 * The profile's rarely used panels load their code when first opened (components/lazy-details.tsx):
 * open one by its section's heading id (closed until then: nothing of it is loaded).
 */
export async function openProfilePanel(page: Page, headingId: "profile-tokens" | "profile-import" | "profile-data" | "profile-export") {
  const details = page.locator(`section[aria-labelledby="${headingId}"] details.lazy-details`);
  await expect(details).not.toHaveAttribute("open");
  await details.locator("> summary").click();
  await expect(details).toHaveAttribute("open", "");
}
