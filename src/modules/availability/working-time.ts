import type { DateOverride } from '../resources/date-override';
import { minutesOfDay, WEEKDAYS, type WorkingHours } from '../resources/working-hours';
import { addDays, DAY_MS, ianaOffsets, isoDate, naiveMs, wallAt, wallToUtc, type UtcOffsets, type WallTime } from '../../common/time';
import { overlapsWindow } from '../../common/window';
import type { Interval } from './intervals';

const ALL_DAY = [{ start: '00:00', end: '24:00' }];

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
  const offsets = offsetsOf(timeZone);
  const intervals: Interval[] = [];
  // Local dates are walked as naive calendar days (no zone arithmetic per day): from the day
  // before the window's first local day, whose late hours may reach into it, to its last one.
  const first = wallAt(window.start + offsets(window.start) * 1000, true);
  const last = isoDate(wallAt(window.end + offsets(window.end) * 1000, true));
  for (let day = addDays(first, -1); isoDate(day) <= last; day = addDays(day, 1)) {
    const date = isoDate(day);
    if ((exceptions.validFrom && date < exceptions.validFrom) || (exceptions.validUntil && date > exceptions.validUntil)) continue;
    // 1970-01-01 was a Thursday; ISO weekdays count from Monday.
    const weekday = WEEKDAYS[(Math.floor(naiveMs(day) / DAY_MS) + 3) % 7];
    const ranges = overrides.get(date) ?? (hours.length === 0 ? ALL_DAY : hours.filter((entry) => entry.weekday === weekday));
    for (const range of ranges) {
      const start = atLocalMinute(day, minutesOfDay(range.start), offsets);
      const end = atLocalMinute(day, minutesOfDay(range.end), offsets);
      if (overlapsWindow(start, end, window.start, window.end)) intervals.push({ start: Math.max(start, window.start), end: Math.min(end, window.end) });
    }
  }
  return intervals;
}

/** One offset function per zone for the process: its cache of instants is what makes repeated questions cheap. */
const zoneOffsets = new Map<string, UtcOffsets>();

function offsetsOf(timeZone: string): UtcOffsets {
  let offsets = zoneOffsets.get(timeZone);
  if (!offsets) {
    const created = ianaOffsets(timeZone);
    if (!created) throw new RangeError(`Unknown IANA time zone "${timeZone}"`);
    zoneOffsets.set(timeZone, (offsets = created));
  }
  return offsets;
}

/**
 * The UTC instant of a local wall time, with the RFC 5545 section 3.3.5 rules that the calendar
 * expansion uses too: a time in a DST gap moves forward by the gap, an ambiguous one (the hour
 * repeated when clocks go back) is its first occurrence. Luxon alone would take the second.
 */
function atLocalMinute(day: WallTime, minuteOfDay: number, offsets: UtcOffsets): number {
  const date = minuteOfDay === 1440 ? addDays(day, 1) : day;
  const minutes = minuteOfDay % 1440;
  return wallToUtc({ ...date, hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, isDate: false }, offsets);
}
