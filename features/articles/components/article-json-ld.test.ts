import { describe, expect, it, vi } from "vitest";

vi.mock("next-intl/server", () => ({ getTranslations: vi.fn() }));
const { jsonForScript } = await import("./article-json-ld");

describe("jsonForScript", () => {
  it("cannot close the script element or open a comment, and still parses to the same value", () => {
    const value = { headline: `</script><script>alert(1)</script><!-- & "q"` };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
