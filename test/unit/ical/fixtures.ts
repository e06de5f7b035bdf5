import fs from 'node:fs';
import path from 'node:path';
import { expandCalendar } from '../../../src/providers/ical/expand-calendar';
import type { FetchResult, NormalizedEvent } from '../../../src/providers/provider';
import { FIXTURES } from '../../helpers/fixtures';

export { describeWithFixtures, FIXTURES } from '../../helpers/fixtures';

/**
 * Text of a fixture, e.g. `recurring-ical-events/rdate.ics`. The folder may be missing (a plain
 * clone): call this only inside a `describeWithFixtures` suite.
 */
export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** Expands text over `[from, to)` (ISO strings) in a resource zone, Europe/Berlin unless given: the occurrences and the skipped. */
export function expand(ics: string, from: string, to: string, timeZone = 'Europe/Berlin'): FetchResult {
  const { events, skipped } = expandCalendar(ics, { window: { from: new Date(from), to: new Date(to) }, timeZone });
  return { events, skipped };
}

/** Start instants as ISO strings, for compact assertions. */
export function starts(events: NormalizedEvent[]): string[] {
  return events.map((event) => event.startsAt.toISOString());
}

/** Wraps VEVENT (and VTIMEZONE) lines into a VCALENDAR with CRLF line ends. */
export function calendar(...lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//calsync//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
}

/** VTIMEZONE of Exchange's `W. Europe Standard Time`, copied from recurring-ical-events/issue_27_t1.ics. */
export const W_EUROPE_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:W. Europe Standard Time',
  'BEGIN:STANDARD',
  'DTSTART:16010101T030000',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010101T020000',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
];
