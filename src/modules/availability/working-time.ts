import { DateTime } from 'luxon';
import type { DateOverride } from '../resources/date-override';
import { minutesOfDay, WEEKDAYS, type WorkingHours } from '../resources/working-hours';
import { ianaOffsets, wallToUtc, type UtcOffsets } from '../../providers/ical/ical-time';
import type { Interval } from './intervals';

/** What changes a resource's weekly hours on given dates. */
export interface ScheduleExceptions {
  /** Dates whose hours replace the weekly ones; no hours is a day off. */
  dateOverrides?: DateOverride[];
  /** First and last (inclusive) local dates with working time, `YYYY-MM-DD`; null for none. */
  validFrom?: string | null;
  validUntil?: string | null;
}

/**
 * The UTC intervals of working time that overlap `window`, computed day by day in the
 * resource's IANA time zone, so that a DST change moves the UTC instants and never the local
 * hours (see {@link atLocalMinute} for the gap and the repeated hour); `24:00` is the next midnight.
 * A date override replaces the weekly hours of its date; dates outside the validity range have
 * none. No weekly hours at all means around the clock (on valid dates without an override).
 */
export function workingIntervals(hours: WorkingHours[], timeZone: string, window: Interval, exceptions: ScheduleExceptions = {}): Interval[] {
  const overrides = new Map((exceptions.dateOverrides ?? []).map((override) => [override.date, override.hours]));
  const offsets = ianaOffsets(timeZone);
  if (!offsets) throw new RangeError(`Unknown IANA time zone "${timeZone}"`);
  const intervals: Interval[] = [];
  const lastDay = DateTime.fromMillis(window.end, { zone: timeZone }).startOf('day');
  for (let day = DateTime.fromMillis(window.start, { zone: timeZone }).startOf('day').minus({ days: 1 }); day <= lastDay; day = day.plus({ days: 1 })) {
    const date = day.toISODate()!;
    if ((exceptions.validFrom && date < exceptions.validFrom) || (exceptions.validUntil && date > exceptions.validUntil)) continue;
    const weekday = WEEKDAYS[day.weekday - 1];
    const ranges = overrides.get(date) ?? (hours.length === 0 ? [{ start: '00:00', end: '24:00' }] : hours.filter((entry) => entry.weekday === weekday));
    for (const range of ranges) {
      const start = atLocalMinute(day, minutesOfDay(range.start), offsets);
      const end = atLocalMinute(day, minutesOfDay(range.end), offsets);
      if (end > window.start && start < window.end) intervals.push({ start: Math.max(start, window.start), end: Math.min(end, window.end) });
    }
  }
  return intervals;
}

/**
 * The UTC instant of a local wall time, with the RFC 5545 section 3.3.5 rules that the calendar
 * expansion uses too: a time in a DST gap moves forward by the gap, an ambiguous one (the hour
 * repeated when clocks go back) is its first occurrence. Luxon alone would take the second.
 */
function atLocalMinute(day: DateTime, minuteOfDay: number, offsets: UtcOffsets): number {
  const date = minuteOfDay === 1440 ? day.plus({ days: 1 }) : day;
  const minutes = minuteOfDay % 1440;
  return wallToUtc({ year: date.year, month: date.month, day: date.day, hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, isDate: false }, offsets);
}
