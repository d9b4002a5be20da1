import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";

export const SLUG = "japan-patriot-missile-export";
export const PARAGRAPHS = 21;

/**
 * Every test fails on a console error or an uncaught page error: hydration mismatches show up
 * there (React logs them as errors in production builds too). Content-Security-Policy
 * violations fail it too, whether or not the browser logs them (ADR 0015).
 */
export const test = base.extend<{
  /** Set in specs that visit error pages on purpose: the browser logs their status as an error. */
  allowHttpErrorStatus: boolean;
  consoleErrors: string[];
  expectNoA11yViolations: (page?: Page) => Promise<void>;
}>({
  allowHttpErrorStatus: [false, { option: true }],
  consoleErrors: [
    async ({ page, allowHttpErrorStatus }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() !== "error") return;
        if (allowHttpErrorStatus && message.text().startsWith("Failed to load resource: the server responded with a status of 4")) return;
        errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(error.message));
      // Reported from inside each document (pages opened later in the context included), as
      // the browser sees the violation; the binding is called outside the page's own policy.
      await page.context().exposeBinding("__reportCspViolation", (_source, violation: string) => {
        errors.push(`CSP violation: ${violation}`);
      });
      await page.context().addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (event) => {
          const report = (window as unknown as { __reportCspViolation?: (v: string) => void }).__reportCspViolation;
          report?.(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
        });
      });
      await use(errors);
      expect(errors, "console errors during the test").toEqual([]);
    },
    { auto: true },
  ],
  expectNoA11yViolations: async ({ page }, use) => {
    await use(async (target = page) => {
      const results = await new AxeBuilder({ page: target }).analyze();
      const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      expect(summary, "axe violations").toEqual([]);
    });
  },
});

export { expect };
