import { describe, expect, it } from "vitest";
import { getPathname } from "./navigation";

describe("getPathname", () => {
  it("puts the locale in front, with query and hash", () => {
    expect(getPathname({ href: "/", locale: "ja" })).toBe("/ja");
    expect(getPathname({ href: "/groups", locale: "en" })).toBe("/en/groups");
    expect(getPathname({ href: "/profile#profile-mail", locale: "en" })).toBe("/en/profile#profile-mail");
    expect(getPathname({ href: { pathname: "/sign-in", query: { next: "/en/groups?x=1" } }, locale: "en" })).toBe("/en/sign-in?next=%2Fen%2Fgroups%3Fx%3D1");
    expect(getPathname({ href: { pathname: "/groups/1", query: { cursor: "c", skip: undefined }, hash: "activity-feed" }, locale: "ja" })).toBe("/ja/groups/1?cursor=c#activity-feed");
    expect(getPathname({ href: { pathname: "/articles/x", query: {} }, locale: "en" })).toBe("/en/articles/x");
  });
});
