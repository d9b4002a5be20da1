import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";

export const SLUG = "japan-patriot-missile-export";
export const PARAGRAPHS = 21;

/**
 * Every test fails on a console error or an uncaught page error: hydration mismatches show up
 * there (React logs them as errors in production builds too). Content-Security-Policy
 * violations fail it too, whether or not the browser logs them (ADR 0015).
 */
/** The longest a navigation waits for React to hydrate the page it opened. */
const HYDRATION_TIMEOUT_MS = 15_000;

/**
 * After `goto` and `reload`, wait until React has hydrated the page (components/hydration-marker.tsx):
 * an interaction made before that hits elements with no listeners yet, a race the tests lost now
 * and then on a loaded CI machine. Documents without Next's scripts (JSON, the static 503 page)
 * are ready as they are.
 */
function waitForHydrationOnNavigation(page: Page): void {
  const marked = page as Page & { __hydrationWait?: true };
  if (marked.__hydrationWait) return;
  marked.__hydrationWait = true;
  const wrap = <A extends unknown[], R>(navigate: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const response = await navigate(...args);
      const options = args.find((arg) => typeof arg === "object" && arg !== null) as { waitUntil?: string } | undefined;
      if (options?.waitUntil !== "commit") {
        await page
          .waitForFunction(() => document.documentElement.hasAttribute("data-hydrated") || !document.querySelector('script[src*="/_next/static/"]'), null, {
            timeout: HYDRATION_TIMEOUT_MS,
          })
          // A page that never hydrates fails the test through its own assertions or console errors.
          .catch(() => undefined);
      }
      return response;
    };
  page.goto = wrap(page.goto.bind(page));
  page.reload = wrap(page.reload.bind(page));
}

function waitForHydrationInContext(context: BrowserContext): void {
  for (const page of context.pages()) waitForHydrationOnNavigation(page);
  context.on("page", waitForHydrationOnNavigation);
}

export const test = base.extend<{
  /** Set in specs that visit error pages on purpose: the browser logs their status as an error. */
  allowHttpErrorStatus: boolean;
  consoleErrors: string[];
  expectNoA11yViolations: (page?: Page) => Promise<void>;
}>({
  allowHttpErrorStatus: [false, { option: true }],
  // Contexts a test opens itself (a second user …) wait for hydration too.
  browser: [
    async ({ browser }, use) => {
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args: Parameters<typeof newContext>) => {
        const context = await newContext(...args);
        waitForHydrationInContext(context);
        return context;
      };
      await use(browser);
    },
    { scope: "worker" },
  ],
  context: async ({ context }, use) => {
    waitForHydrationInContext(context);
    await use(context);
  },
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
      // axe ships WCAG 2.2's target-size rule (24 × 24 px, 2.5.8) switched off; we hold every
      // page to it (issue 15: Lighthouse's accessibility audit checks it on phones).
      const results = await new AxeBuilder({ page: target }).options({ rules: { "target-size": { enabled: true } } }).analyze();
      const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      expect(summary, "axe violations").toEqual([]);
    });
  },
});

export { expect };
