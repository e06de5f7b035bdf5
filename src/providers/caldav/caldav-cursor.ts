/**
 * The incremental-sync cursor of a CalDAV collection, stored as an opaque string: the
 * collection's sync-token (RFC 6578) and ctag when it has them, and every calendar object by
 * path with its ETag and the UIDs it holds, so that
 * - the changes a server names (sync-collection), or the ETags that differ from the last listing
 *   (servers without sync-collection), are the only objects read again;
 * - the occurrences of a changed or deleted object can be replaced or removed without asking
 *   the server what it held before.
 */

/** One object as last read: its ETag and the UIDs of its components. */
export interface KnownObject {
  etag: string;
  uids: string[];
}

export interface CalDavCursor {
  token: string | null;
  ctag: string | null;
  objects: Map<string, KnownObject>;
}

/** The format's version; cursors of other versions count as none, which makes the next sync a full one. */
const VERSION = 2;

/** Reads a cursor; anything unreadable counts as none, so the next sync is a full one. */
export function decodeCalDavCursor(cursor: string | null): CalDavCursor | null {
  if (!cursor) return null;
  try {
    const value = JSON.parse(cursor) as { v?: unknown; token?: unknown; ctag?: unknown; objects?: unknown };
    if (value.v !== VERSION || !value.objects || typeof value.objects !== 'object') return null;
    const objects = new Map<string, KnownObject>();
    for (const [path, entry] of Object.entries(value.objects as Record<string, unknown>)) {
      if (!Array.isArray(entry) || !entry.every((item) => typeof item === 'string')) return null;
      const [etag, ...uids] = entry as string[];
      objects.set(path, { etag, uids });
    }
    return { token: typeof value.token === 'string' ? value.token : null, ctag: typeof value.ctag === 'string' ? value.ctag : null, objects };
  } catch {
    return null;
  }
}

export function encodeCalDavCursor(cursor: CalDavCursor): string {
  const objects = Object.fromEntries([...cursor.objects].map(([path, known]) => [path, [known.etag, ...known.uids]]));
  return JSON.stringify({ v: VERSION, token: cursor.token, ctag: cursor.ctag, objects });
}

/**
 * The objects to read again and the ones gone, comparing a fresh listing (path → ETag) with the
 * cursor's: new paths, and paths whose ETag differs or is unknown (empty), are changed.
 */
export function diffListing(known: Map<string, KnownObject>, listing: Map<string, { etag: string }>): { changed: string[]; removed: string[] } {
  const changed = [...listing].filter(([path, { etag }]) => etag === '' || known.get(path)?.etag !== etag).map(([path]) => path);
  const removed = [...known.keys()].filter((path) => !listing.has(path));
  return { changed, removed };
}
