/**
 * Wall-clock times and time zones of iCalendar values: parsing DATE / DATE-TIME values (RFC 5545
 * sections 3.3.4 and 3.3.5), and placing local times on the UTC line through an IANA zone
 * (luxon) or the offsets of a VTIMEZONE of the file (vtimezone.ts).
 */
import { LRUCache } from 'lru-cache';
import { IANAZone } from 'luxon';
import ICAL from './ical-module';

/** Milliseconds in a nominal day. */
export const DAY_MS = 86_400_000;

/** A local date or date-time as written in the file, before any zone applies. `month` is 1-12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** True for a DATE value (RFC 5545 section 3.3.4); the time fields are then 0. */
  isDate: boolean;
}

/** The UTC offset, in seconds east of Greenwich, in force at a UTC instant (epoch milliseconds). */
export type UtcOffsets = (epochMs: number) => number;

/** Offsets of UTC itself: DATE-TIME values ending in `Z` (RFC 5545 section 3.3.5, form #2). */
export const UTC_OFFSETS: UtcOffsets = () => 0;

// ical.js turns an 8-digit value typed DATE-TIME (`DTSTART:20180110`) into `2018-01-10T::`; it
// is read as the DATE it obviously is.
const JCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(?:(\d{2}):(\d{2}):(\d{2})(Z?)|::))?$/;

/**
 * Parses a jCal (RFC 7265) date or date-time string as ical.js stores it, e.g. `2024-03-31`,
 * `2024-03-31T02:30:00` or `2024-03-31T00:30:00Z`.
 * @returns the wall time and whether it is UTC, or null when the text or a field is out of range
 *   (month 1-12, existing day of month, hour 0-23, minute 0-59, second 0-60 per section 3.3.12).
 */
export function parseJcalTime(value: string): { wall: WallTime; utc: boolean } | null {
  const match = JCAL_TIME.exec(value);
  if (!match) return null;
  const [year, month, day] = [match[1], match[2], match[3]].map(Number);
  const isDate = match[4] === undefined;
  const [hour, minute, second] = isDate ? [0, 0, 0] : [match[4], match[5], match[6]].map(Number);
  const valid =
    month >= 1 && month <= 12 && day >= 1 && day <= ICAL.Time.daysInMonth(month, year) &&
    hour <= 23 && minute <= 59 && second <= 60;
  return valid ? { wall: { year, month, day, hour, minute, second, isDate }, utc: match[7] === 'Z' } : null;
}

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

/** Adds nominal days to a wall time: the same local time `days` calendar days later (section 3.3.6). */
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

/** Basic iCalendar form of a DATE, `YYYYMMDD` (RFC 5545 section 3.3.4). */
export function basicDate(wall: WallTime): string {
  return isoDate(wall).replace(/-/g, '');
}

/** Basic iCalendar form of a UTC instant, `YYYYMMDDTHHMMSSZ` (RFC 5545 section 3.3.5). */
export function basicUtc(epochMs: number): string {
  const wall = wallAt(epochMs, false);
  return `${basicDate(wall)}T${pad(wall.hour, 2)}${pad(wall.minute, 2)}${pad(wall.second, 2)}Z`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
