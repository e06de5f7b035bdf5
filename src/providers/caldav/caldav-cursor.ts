/**
 * The incremental-sync cursor of a CalDAV collection, stored as an opaque string:
 * - `{ token, objects }` where the server supports `sync-collection` (RFC 6578): its
 *   sync-token, and for each calendar object (by path) that has occurrences in the synced
 *   window, the UIDs it holds, so that a changed or deleted object's old occurrences can be
 *   removed without a window query;
 * - `{ ctag }` otherwise (the CalendarServer getctag extension): only "changed or not".
 */
export type CalDavCursor = { token: string; objects: Record<string, string[]> } | { ctag: string };

/** Reads a cursor; anything unreadable counts as none, so the next sync is a full one. */
export function decodeCalDavCursor(cursor: string | null): CalDavCursor | null {
  if (!cursor) return null;
  try {
    const value = JSON.parse(cursor) as Partial<{ token: unknown; objects: unknown; ctag: unknown }>;
    if (typeof value.token === 'string' && value.objects && typeof value.objects === 'object') return value as CalDavCursor;
    if (typeof value.ctag === 'string') return { ctag: value.ctag };
  } catch {
    // not ours: fall through
  }
  return null;
}

export function encodeCalDavCursor(cursor: CalDavCursor): string {
  return JSON.stringify(cursor);
}
