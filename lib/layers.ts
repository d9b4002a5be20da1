// Note layers: which audiences of notes a signed-in reader shows. In lib/ because two features
// read them — notes (the lists) and reading (the page's counts and highlights) — and the rule
// they narrow is lib/permissions/notes.ts's noteLayers.

/** The cookie the reader's layer switcher writes and the reader API (POST …/reading, GET …/highlights) reads. */
export const LAYERS_COOKIE = "taiyaku.layers";

/**
 * Which layers of notes a signed-in reader shows: public notes, their own (private or public,
 * not group) notes, and notes of chosen groups. null means "everything I can see". Layers only
 * narrow the visibility rule, never widen it.
 */
export type Layers = { public: boolean; mine: boolean; groupIds: string[] };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * "public,mine,g:<uuid>" → Layers. Group ids not in `myGroupIds` are dropped (a stale cookie or
 * a tampering client); unknown tokens are ignored. "none" is the explicit empty choice.
 */
export function parseLayers(raw: string | null | undefined, myGroupIds: readonly string[]): Layers | null {
  if (raw === null || raw === undefined || raw.trim() === "") return null;
  const mine = new Set(myGroupIds.map((id) => id.toLowerCase()));
  const layers: Layers = { public: false, mine: false, groupIds: [] };
  for (const token of raw.split(",").map((part) => part.trim()).slice(0, 100)) {
    if (token === "public") layers.public = true;
    else if (token === "mine") layers.mine = true;
    else if (token.startsWith("g:")) {
      const id = token.slice(2).toLowerCase();
      if (uuidPattern.test(id) && mine.has(id) && !layers.groupIds.includes(id)) layers.groupIds.push(id);
    }
  }
  return layers;
}

export function serializeLayers(layers: Layers | null): string {
  if (!layers) return "";
  const tokens = [...(layers.public ? ["public"] : []), ...(layers.mine ? ["mine"] : []), ...layers.groupIds.map((id) => `g:${id}`)];
  return tokens.length ? tokens.join(",") : "none";
}
