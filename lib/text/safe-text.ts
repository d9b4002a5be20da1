/**
 * Text PostgreSQL cannot store, or stores as garbage: NUL (text columns refuse it: a 500 if it
 * reaches SQL) and lone UTF-16 surrogates (not Unicode scalar values; they become U+FFFD or fail
 * on the way to the database). Refused, never silently stripped: the client learns what was wrong.
 */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && value.isWellFormed();
}

/**
 * The path of the first string in a parsed JSON value that is not storable (object keys too), or
 * null. `["body"]`, `["mentions", 2]`, `[]` for the root.
 */
export function findUnstorableText(value: unknown, path: (string | number)[] = [], depth = 0): (string | number)[] | null {
  if (typeof value === "string") return isStorableText(value) ? null : path;
  if (depth > 32 || value === null || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = findUnstorableText(value[i], [...path, i], depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, child] of Object.entries(value)) {
    if (!isStorableText(key)) return [...path, key];
    const found = findUnstorableText(child, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}
