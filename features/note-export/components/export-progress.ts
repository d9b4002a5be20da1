import { Unzip, UnzipInflate } from "fflate";

// Counting exported notes as the bytes arrive, for the progress bar: the server sends the total
// first (X-Export-Total) and the file itself, nothing else, so the client recognises each note in
// the format it asked for. Every format marks a note in a way note text cannot fake: CSV records
// end with CRLF outside quotes, JSON-LD annotations are `"type":"Annotation",` (quotes inside
// bodies are escaped), Markdown notes carry a `<!-- taiyaku:note … -->` marker (counting one a
// body mentions only moves the bar early). A zip is inflated on the fly to count inside it.

export type ProgressKind = "csv" | "jsonld" | "markdown" | "zip";

/** Counts `needle` across chunk boundaries. */
function needleCounter(needle: string) {
  let tail = "";
  let count = 0;
  return {
    push(text: string) {
      const joined = tail + text;
      let at = joined.indexOf(needle);
      while (at !== -1) {
        count += 1;
        at = joined.indexOf(needle, at + needle.length);
      }
      // Keep what could be the start of a needle cut by the chunk boundary.
      tail = joined.slice(Math.max(joined.length - needle.length + 1, 0));
      if (tail.includes(needle)) tail = "";
    },
    get count() {
      return count;
    },
  };
}

/** CSV records (CRLF outside quoted cells), the header excluded. */
function csvCounter() {
  let quoted = false;
  let previous = "";
  let records = 0;
  return {
    push(text: string) {
      for (const c of text) {
        if (c === '"') quoted = !quoted;
        else if (c === "\n" && previous === "\r" && !quoted) records += 1;
        previous = c;
      }
    },
    get count() {
      return Math.max(records - 1, 0);
    },
  };
}

export const JSONLD_ITEM_MARK = '"type":"Annotation",';
export const MARKDOWN_NOTE_MARK = "<!-- taiyaku:note ";

export function createItemCounter(kind: ProgressKind): { push(bytes: Uint8Array): void; end(): void; readonly count: number } {
  const text = kind === "csv" ? csvCounter() : needleCounter(kind === "jsonld" ? JSONLD_ITEM_MARK : MARKDOWN_NOTE_MARK);
  if (kind !== "zip") {
    const decoder = new TextDecoder();
    return {
      push: (bytes) => text.push(decoder.decode(bytes, { stream: true })),
      end: () => text.push(decoder.decode()),
      get count() {
        return text.count;
      },
    };
  }
  const unzip = new Unzip((file) => {
    const decoder = new TextDecoder();
    file.ondata = (error, data, final) => {
      if (error) return;
      text.push(decoder.decode(data, { stream: !final }));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  return {
    push: (bytes) => unzip.push(bytes),
    end: () => unzip.push(new Uint8Array(0), true),
    get count() {
      return text.count;
    },
  };
}

/** The kind of file a response holds, from its Content-Type. */
export function progressKindOf(contentType: string | null): ProgressKind {
  if (!contentType) return "csv";
  if (contentType.startsWith("application/zip")) return "zip";
  if (contentType.startsWith("application/ld+json")) return "jsonld";
  if (contentType.startsWith("text/markdown")) return "markdown";
  return "csv";
}

/** The file name of a Content-Disposition (RFC 6266: filename* wins over filename). */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      // Fall through to the plain name.
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"/i.exec(disposition);
  return plain?.[1] || fallback;
}
