/**
 * Keyset cursors for newest-first pages: the last row of a page as `<createdAt ISO>_<uuid>`.
 * Checked in full (a real instant in canonical form, a uuid) so no malformed or out-of-range value
 * reaches SQL: `new Date("-271821-04-20T00:00:00.000Z")` is a valid JavaScript date that
 * PostgreSQL refuses, which used to be a 500.
 */
export type KeysetCursor = { createdAt: Date; id: string };

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export function parseKeysetCursor(value: string): KeysetCursor | null {
  const match = CURSOR.exec(value);
  if (!match) return null;
  const createdAt = new Date(match[1]!);
  // Round-tripping rejects impossible dates ("2026-02-31") that Date would quietly roll over.
  // Before 1970 no row of ours exists (and years around 0 are where databases disagree).
  if (Number.isNaN(createdAt.getTime()) || createdAt.getTime() < 0 || createdAt.toISOString() !== match[1]) return null;
  return { createdAt, id: match[2]!.toLowerCase() };
}

export function formatKeysetCursor(row: { createdAt: Date; id: string }): string {
  return `${row.createdAt.toISOString()}_${row.id}`;
}
