/**
 * Zone arithmetic on wall-clock times: local date and time to UTC instants and back, through an
 * IANA zone (luxon) or any other offset function (a VTIMEZONE, see providers/ical/vtimezone.ts),
 * with the RFC 5545 section 3.3.5 rules for times in a DST gap or overlap. Shared by the
 * iCalendar expansion and by working hours; it knows nothing of either.
 */
import { LRUCache } from 'lru-cache';
import { IANAZone } from 'luxon';

/** Milliseconds in a nominal day. */
export const DAY_MS = 86_400_000;

/** A local date or date-time (wall-clock reading), before any zone applies. `month` is 1-12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** True for a date without time (an iCalendar DATE, RFC 5545 section 3.3.4); the time fields are then 0. */
  isDate: boolean;
}

/** The UTC offset, in seconds east of Greenwich, in force at a UTC instant (epoch milliseconds). */
export type UtcOffsets = (epochMs: number) => number;

/** Offsets of UTC itself (in iCalendar: DATE-TIME values ending in `Z`, RFC 5545 section 3.3.5, form #2). */
export const UTC_OFFSETS: UtcOffsets = () => 0;

/** The wall time read as if it were UTC, in epoch milliseconds: the basis of wall-clock arithmetic. */
export function naiveMs(wall: WallTime): number {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map the years 0-99 to 1900-1999.
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, 0);
  return date.getTime();
}

/** Inverse of {@link naiveMs}; a DATE keeps only the day. */
export function wallAt(epochMs: number, isDate: boolean): WallTime {
  const date = new Date(epochMs);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: isDate ? 0 : date.getUTCHours(),
    minute: isDate ? 0 : date.getUTCMinutes(),
    second: isDate ? 0 : date.getUTCSeconds(),
    isDate,
  };
}

/** Adds nominal days to a wall time: the same local time `days` calendar days later (RFC 5545 section 3.3.6). */
export function addDays(wall: WallTime, days: number): WallTime {
  return wallAt(naiveMs(wall) + days * DAY_MS, wall.isDate);
}

/**
 * Converts a local wall time to a UTC instant (epoch milliseconds) in a zone given by its
 * offsets, per RFC 5545 section 3.3.5: a time skipped by a forward transition is read with the
 * offset before the gap (02:30 becomes 03:30 DST), and a time occurring twice takes its first,
 * earlier occurrence. Luxon alone does not do the latter: it returns the later instant.
 */
export function wallToUtc(wall: WallTime, offsets: UtcOffsets): number {
  const local = naiveMs(wall);
  const before = offsets(local - DAY_MS);
  const after = offsets(local + DAY_MS);
  if (before === after) return local - before * 1000;
  const valid = [local - before * 1000, local - after * 1000].filter((t) => t + offsets(t) * 1000 === local);
  return valid.length > 0 ? Math.min(...valid) : local - before * 1000;
}

const KNOWN_ZONES = new LRUCache<string, boolean>({ max: 1_000 });

/**
 * Whether the runtime knows an IANA zone name, remembered: luxon's isValidZone builds an
 * Intl.DateTimeFormat each time, which was a sixth of a CalDAV full sync's CPU time.
 */
export function isIanaZone(name: string): boolean {
  let known = KNOWN_ZONES.get(name);
  if (known === undefined) {
    known = IANAZone.isValidZone(name);
    KNOWN_ZONES.set(name, known);
  }
  return known;
}

/**
 * Offsets of an IANA time zone such as `Europe/Berlin`, through luxon. Results are memoized per
 * instant: luxon's `offset` costs some 20 µs (Intl formatToParts), and expanding a series asks
 * for the same instants repeatedly; keep the function for one expansion only.
 * @returns null when the runtime does not know the name.
 */
export function ianaOffsets(name: string): UtcOffsets | null {
  if (!isIanaZone(name)) return null;
  const zone = IANAZone.create(name);
  const known = new Map<number, number>();
  return (epochMs) => {
    let offset = known.get(epochMs);
    if (offset === undefined) {
      offset = Math.round(zone.offset(epochMs) * 60);
      known.set(epochMs, offset);
    }
    return offset;
  };
}

/** `YYYY-MM-DD` of a wall time. */
export function isoDate(wall: WallTime): string {
  return `${pad(wall.year, 4)}-${pad(wall.month, 2)}-${pad(wall.day, 2)}`;
}

/** `value` in decimal, zero-padded to `width` digits. */
export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
