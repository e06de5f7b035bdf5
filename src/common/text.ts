/**
 * Text from providers made storable: PostgreSQL refuses U+0000 in `text` and `jsonb` (one NUL in
 * an invitation's title used to fail the whole calendar's sync on every run), and a tenant's
 * server decides how long a title or a UID is. Applied where provider text is stored.
 */
import { createHash } from 'node:crypto';

/** Longest id stored as it is; longer ones are stored as a digest (a B-tree index entry holds at most ~2,700 bytes). */
const MAX_ID_LENGTH = 500;

/** The text without NUL characters, cut to `maxLength` code points. */
export function storableText(value: string, maxLength: number): string {
  const clean = value.includes('\u0000') ? value.replace(/\u0000/g, '') : value;
  if (clean.length <= maxLength) return clean;
  return Array.from(clean).slice(0, maxLength).join('');
}

/**
 * An id (a UID, an externalId) as stored: without NUL, and one longer than {@link MAX_ID_LENGTH}
 * as `sha256:<hex>` of itself, so that it stays the same from one sync to the next.
 */
export function storableId(value: string): string {
  const clean = storableText(value, Number.MAX_SAFE_INTEGER);
  return clean.length <= MAX_ID_LENGTH ? clean : `sha256:${createHash('sha256').update(clean, 'utf8').digest('hex')}`;
}
