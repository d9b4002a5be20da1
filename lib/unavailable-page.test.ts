import { describe, expect, it } from "vitest";
import { unavailablePageHtml } from "./unavailable-page";

describe("unavailablePageHtml", () => {
  it("speaks the requested language and reloads itself", () => {
    const ja = unavailablePageHtml("ja", 5);
    expect(ja).toContain('<html lang="ja">');
    expect(ja).toContain("一時的に利用できません");
    expect(ja).toContain('<meta http-equiv="refresh" content="5">');
    const en = unavailablePageHtml("en", 7);
    expect(en).toContain('<html lang="en">');
    expect(en).toContain("temporarily unavailable");
    expect(en).toContain('content="7"');
  });
});
