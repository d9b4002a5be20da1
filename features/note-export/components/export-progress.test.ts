import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { createItemCounter, fileNameOf, progressKindOf } from "./export-progress";

function feed(kind: Parameters<typeof createItemCounter>[0], bytes: Uint8Array, chunk: number) {
  const counter = createItemCounter(kind);
  for (let i = 0; i < bytes.length; i += chunk) counter.push(bytes.slice(i, i + chunk));
  counter.end();
  return counter.count;
}

describe("export progress", () => {
  it("counts CSV records outside quotes, header excluded, across any chunking", () => {
    const csv = strToU8('\uFEFFa,b\r\n1,"x\r\ny"\r\n2,"say ""hi"""\r\n3,日本語\r\n');
    for (const size of [1, 2, 3, 7, 1000]) expect(feed("csv", csv, size)).toBe(3);
  });

  it("counts JSON-LD annotations, not pages or the collection, even split mid-marker", () => {
    const json = JSON.stringify({
      type: "AnnotationCollection",
      first: { type: "AnnotationPage", items: [{ id: "a", type: "Annotation", body: 'text "type":"Annotation",' }, { id: "b", type: "Annotation", motivation: "commenting" }] },
    });
    for (const size of [1, 5, 13, 10_000]) expect(feed("jsonld", strToU8(json), size)).toBe(2);
  });

  it("counts Markdown note markers, and inside a zip", () => {
    const md = "# T\n\n<!-- taiyaku:note 1 -->\n\n- <!-- taiyaku:note 2 --> reply\n";
    expect(feed("markdown", strToU8(md), 4)).toBe(2);
    const zip = zipSync({ "a.md": strToU8(md), "b.md": strToU8(md.repeat(3)) });
    expect(feed("zip", zip, 16)).toBe(8);
  });

  it("reads the kind and the file name from the headers", () => {
    expect(progressKindOf("application/zip")).toBe("zip");
    expect(progressKindOf('application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"')).toBe("jsonld");
    expect(progressKindOf("text/markdown; charset=utf-8")).toBe("markdown");
    expect(progressKindOf("text/csv; charset=utf-8")).toBe("csv");
    expect(fileNameOf(`attachment; filename="a_.csv"; filename*=UTF-8''a%E8%AA%AD.csv`, "x")).toBe("a読.csv");
    expect(fileNameOf(`attachment; filename="plain.md"`, "x")).toBe("plain.md");
    expect(fileNameOf(null, "x")).toBe("x");
  });
});
