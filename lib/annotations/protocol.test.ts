import { describe, expect, it } from "vitest";
import {
  annotationEtag,
  contentEtag,
  ifMatchVersions,
  ifNoneMatchHits,
  negotiateFormat,
  parsePrefer,
  PREFER_DESCRIPTIONS,
  PREFER_IRIS,
  PREFER_MINIMAL,
  slugId,
} from "./protocol";

// The protocol's HTTP rules that need no database (ADR 0029).

const ID = "0b6f2c1e-5d6a-4c3b-9a8e-1f2d3c4b5a69";

describe("content negotiation", () => {
  it("answers JSON-LD by default and to every form of asking for it", () => {
    for (const accept of [null, "", "*/*", "application/*", "application/ld+json", `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`, "text/html, */*;q=0.1"]) {
      expect({ accept, format: negotiateFormat(accept) }).toEqual({ accept, format: "jsonld" });
    }
  });

  it("honours plain JSON only when it is preferred", () => {
    expect(negotiateFormat("application/json")).toBe("json");
    expect(negotiateFormat("application/json, application/ld+json;q=0.5")).toBe("json");
    expect(negotiateFormat("application/json, application/ld+json")).toBe("jsonld");
  });

  it("refuses what it cannot produce: Turtle, HTML, other JSON-LD profiles, q=0 (406)", () => {
    for (const accept of ["text/turtle", "text/html", 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"', "application/ld+json;q=0", "*/*;q=0"]) {
      expect({ accept, format: negotiateFormat(accept) }).toEqual({ accept, format: null });
    }
  });

  it("takes the most specific range for a type (RFC 9110 §12.5.1)", () => {
    expect(negotiateFormat("application/ld+json;q=0, */*")).toBe("json");
    expect(negotiateFormat("text/turtle, application/*;q=0.2")).toBe("jsonld");
  });
});

describe("Prefer", () => {
  const prefer = (...iris: string[]) => `return=representation;include="${iris.join(" ")}"`;

  it("reads the three container preferences, alone and combined", () => {
    expect(parsePrefer(prefer(PREFER_MINIMAL))).toEqual({ minimal: true, iris: false });
    expect(parsePrefer(prefer(PREFER_IRIS))).toEqual({ minimal: false, iris: true });
    expect(parsePrefer(prefer(PREFER_DESCRIPTIONS))).toEqual({ minimal: false, iris: false });
    expect(parsePrefer(prefer(PREFER_MINIMAL, PREFER_IRIS))).toEqual({ minimal: true, iris: true });
    expect(parsePrefer(`respond-async, ${prefer(PREFER_IRIS)}`)).toEqual({ minimal: false, iris: true });
  });

  it("falls back to descriptions when both IRIs and descriptions are asked for", () => {
    expect(parsePrefer(prefer(PREFER_IRIS, PREFER_DESCRIPTIONS))).toEqual({ minimal: false, iris: false });
  });

  it("is null without a container preference", () => {
    expect(parsePrefer(null)).toBeNull();
    expect(parsePrefer("return=minimal")).toBeNull();
    expect(parsePrefer(prefer("http://example.org/other"))).toBeNull();
  });
});

describe("entity tags", () => {
  it("an annotation's strong ETag is its id and version", () => {
    expect(annotationEtag(ID, 3)).toBe(`"${ID}-v3"`);
  });

  it("If-Match maps the note's own strong tags onto versions; weak and foreign tags match nothing", () => {
    expect(ifMatchVersions(null, ID)).toBeNull();
    expect(ifMatchVersions("*", ID)).toBe("any");
    expect(ifMatchVersions(`"${ID}-v2"`, ID)).toEqual([2]);
    expect(ifMatchVersions(`"${ID}-v2", "${ID}-v5"`, ID)).toEqual([2, 5]);
    expect(ifMatchVersions(`W/"${ID}-v2"`, ID)).toEqual([]);
    expect(ifMatchVersions(`"00000000-0000-4000-8000-000000000000-v2"`, ID)).toEqual([]);
    expect(ifMatchVersions(`"garbage"`, ID)).toEqual([]);
  });

  it("If-None-Match compares weakly and knows *", () => {
    const tag = contentEtag("body");
    expect(ifNoneMatchHits(tag, tag)).toBe(true);
    expect(ifNoneMatchHits(`W/${tag}`, tag)).toBe(true);
    expect(ifNoneMatchHits(`"other", ${tag}`, tag)).toBe(true);
    expect(ifNoneMatchHits("*", tag)).toBe(true);
    expect(ifNoneMatchHits(`"other"`, tag)).toBe(false);
    expect(ifNoneMatchHits(null, tag)).toBe(false);
  });

  it("content ETags differ with the content", () => {
    expect(contentEtag("a")).not.toBe(contentEtag("b"));
    expect(contentEtag("a")).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
  });
});

describe("Slug", () => {
  it("accepts a uuid, quoted or percent-encoded, and nothing else", () => {
    expect(slugId(ID)).toBe(ID);
    expect(slugId(`"${ID.toUpperCase()}"`)).toBe(ID);
    expect(slugId(encodeURIComponent(ID))).toBe(ID);
    expect(slugId("my_first_annotation")).toBeNull();
    expect(slugId("%E0%A4%A")).toBeNull();
    expect(slugId(null)).toBeNull();
  });
});
