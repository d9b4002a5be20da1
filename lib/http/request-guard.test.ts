import { describe, expect, it } from "vitest";
import { refuseUnroutable } from "@/scripts/lib/request-guard.mjs";

describe("requests Next cannot route (answered by the production server)", () => {
  it("refuses unknown methods with 405", () => {
    expect(refuseUnroutable("TRACE", "/api/notes")).toEqual({ status: 405, api: true, locale: "en" });
    expect(refuseUnroutable("PROPFIND", "/ja/articles/x")).toEqual({ status: 405, api: false, locale: "ja" });
    for (const method of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) expect(refuseUnroutable(method, "/api/notes")).toBeNull();
  });

  it("answers 404 for paths that are not valid percent-encoded UTF-8, or name NUL", () => {
    expect(refuseUnroutable("GET", "/api/notes/%ZZ")).toEqual({ status: 404, api: true, locale: "en" });
    expect(refuseUnroutable("GET", "/api/notes/%ED%A0%80")).toEqual({ status: 404, api: true, locale: "en" });
    expect(refuseUnroutable("GET", "/ja/invite/%ED%A0%80")).toEqual({ status: 404, api: false, locale: "ja" });
    expect(refuseUnroutable("GET", "/en/articles/%00")).toEqual({ status: 404, api: false, locale: "en" });
  });

  it("lets ordinary addresses through, query strings included", () => {
    expect(refuseUnroutable("GET", "/ja/articles/japan-patriot-missile-export?text=both")).toBeNull();
    expect(refuseUnroutable("GET", "/en/%E6%97%A5%E6%9C%AC?q=%ZZ")).toBeNull();
  });
});
