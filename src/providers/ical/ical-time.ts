/**
 * iCalendar DATE / DATE-TIME values (RFC 5545 sections 3.3.4 and 3.3.5): parsing them as
 * ical.js stores them, and writing their basic forms. Placing wall times on the UTC line is
 * common/time.ts.
 */
import { isoDate, pad, wallAt, type WallTime } from '../../common/time';
import ICAL from './ical-module';

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
  const valid = month >= 1 && month <= 12 && day >= 1 && day <= ICAL.Time.daysInMonth(month, year) && hour <= 23 && minute <= 59 && second <= 60;
  return valid ? { wall: { year, month, day, hour, minute, second, isDate }, utc: match[7] === 'Z' } : null;
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
