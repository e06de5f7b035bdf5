import { DateTime } from 'luxon';
import { minutesOfDay, WEEKDAYS, type WorkingHours } from '../resources/working-hours';
import type { Interval } from './intervals';

/**
 * The UTC intervals of weekly working hours that overlap `window`, computed day by day in the
 * resource's IANA time zone with Luxon, so that a DST change moves the UTC instants and never
 * the local hours. A local time that does not exist on a DST day (the gap) moves forward by the
 * gap, as RFC 5545 section 3.3.5 prescribes for DATE-TIME values; `24:00` is the next midnight.
 * No working hours at all means the whole window.
 */
export function workingIntervals(hours: WorkingHours[], timeZone: string, window: Interval): Interval[] {
  if (hours.length === 0) return [{ ...window }];
  const intervals: Interval[] = [];
  const lastDay = DateTime.fromMillis(window.end, { zone: timeZone }).startOf('day');
  for (let day = DateTime.fromMillis(window.start, { zone: timeZone }).startOf('day').minus({ days: 1 }); day <= lastDay; day = day.plus({ days: 1 })) {
    const weekday = WEEKDAYS[day.weekday - 1];
    for (const entry of hours) {
      if (entry.weekday !== weekday) continue;
      const start = atLocalMinute(day, minutesOfDay(entry.start), timeZone);
      const end = atLocalMinute(day, minutesOfDay(entry.end), timeZone);
      if (end > window.start && start < window.end) intervals.push({ start: Math.max(start, window.start), end: Math.min(end, window.end) });
    }
  }
  return intervals;
}

function atLocalMinute(day: DateTime, minuteOfDay: number, timeZone: string): number {
  const date = minuteOfDay === 1440 ? day.plus({ days: 1 }) : day;
  const minutes = minuteOfDay % 1440;
  return DateTime.fromObject(
    { year: date.year, month: date.month, day: date.day, hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone: timeZone },
  ).toMillis();
}
