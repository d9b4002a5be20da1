type Catalog = { [key: string]: string | Catalog };

function flatten(catalog: Catalog, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    if (typeof value === "string") out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

/** Top-level ICU argument names ({name}, {count, plural, …}); nested plural bodies are skipped. */
export function icuArguments(message: string): string[] {
  const names = new Set<string>();
  let depth = 0;
  for (let i = 0; i < message.length; i++) {
    const char = message[i];
    if (char === "{") {
      if (depth === 0) {
        const match = /^\{\s*([A-Za-z_][\w]*)/.exec(message.slice(i));
        if (match) names.add(match[1]!);
      }
      depth++;
    } else if (char === "}") {
      depth = Math.max(0, depth - 1);
    }
  }
  return [...names].sort();
}

/** Human-readable differences between locale catalogs: missing keys and differing arguments. */
export function compareMessageCatalogs(catalogs: Record<string, Catalog>): string[] {
  const flat = Object.fromEntries(Object.entries(catalogs).map(([locale, c]) => [locale, flatten(c)]));
  const locales = Object.keys(flat);
  const allKeys = new Set(locales.flatMap((l) => [...flat[l]!.keys()]));
  const problems: string[] = [];
  for (const key of [...allKeys].sort()) {
    const missing = locales.filter((l) => !flat[l]!.has(key));
    if (missing.length) {
      problems.push(`${key}: missing in ${missing.join(", ")}`);
      continue;
    }
    const args = locales.map((l) => icuArguments(flat[l]!.get(key)!).join(","));
    if (new Set(args).size > 1) {
      problems.push(`${key}: placeholders differ (${locales.map((l, i) => `${l}: {${args[i]}}`).join(" vs ")})`);
    }
    const empty = locales.filter((l) => flat[l]!.get(key)!.trim() === "");
    if (empty.length) problems.push(`${key}: empty in ${empty.join(", ")}`);
  }
  return problems;
}
