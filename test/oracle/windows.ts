/**
 * Windows to compare the expander with the oracle on, picked from a file's own dates: the year
 * around its first and last DTSTART (in several zones, for floating times and dates), the days of
 * the resource zone's DST changes in that year, a window far ahead for unbounded series, and
 * windows that begin or end exactly at occurrence bounds, where clipping bugs live.
 */
import { DateTime } from 'luxon';

/** A UTC window [from, to) as ISO instants, the zone of floating times and dates, and why it was chosen. */
export interface Window {
  kind: string;
  from: string;
  to: string;
  timeZone: string;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The resource zone of most windows; the year windows also run in the others. */
export const MAIN_ZONE = 'Europe/Berlin';
// West of UTC with US rules, a half-hour offset, and a half-hour DST shift.
const OTHER_ZONES = ['America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];
/** Spring 2036: far ahead of every fixture, with the US (03-09) and EU (03-30) changes; pytz knows no DST after 2037. */
const FAR: Window = { kind: 'far ahead', from: '2036-03-01T00:00:00.000Z', to: '2036-04-15T00:00:00.000Z', timeZone: MAIN_ZONE };

/** The dates (UTC midnight, epoch ms) of the DTSTARTs of the VEVENTs in a text, in order; not those of VTIMEZONE observances. */
export function eventStartDates(ics: string): number[] {
  const lines = ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n|\r/);
  const dates: number[] = [];
  let inEvent = false;
  for (const line of lines) {
    if (/^BEGIN:VEVENT\s*$/i.test(line)) inEvent = true;
    else if (/^END:VEVENT\s*$/i.test(line)) inEvent = false;
    const match = inEvent ? /^DTSTART(?:;[^:]*)?:(\d{4})(\d{2})(\d{2})/i.exec(line) : null;
    if (match) {
      const at = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
      if (Number.isFinite(at) && Number(match[1]) >= 1900 && Number(match[1]) <= 2100) dates.push(at);
    }
  }
  return dates;
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function yearAround(day: number, kind: string): Window[] {
  const from = day - 2 * DAY_MS;
  return [MAIN_ZONE, ...OTHER_ZONES].map((timeZone) => ({ kind: `${kind} (${timeZone})`, from: iso(from), to: iso(from + 367 * DAY_MS), timeZone }));
}

/** The local days of the main zone in `year` whose length is not 24 hours, as windows from local midnight to local midnight. */
function dstDays(year: number): Window[] {
  const windows: Window[] = [];
  let day = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: MAIN_ZONE });
  while (day.year === year) {
    const next = day.plus({ days: 1 });
    if (next.toMillis() - day.toMillis() !== DAY_MS) {
      windows.push({ kind: `DST day ${day.toISODate()}`, from: iso(day.toMillis()), to: iso(next.toMillis()), timeZone: MAIN_ZONE });
    }
    day = next;
  }
  return windows;
}

/** The windows that need no oracle answer: years around the first and last DTSTART, DST days, far ahead. */
export function firstWindows(ics: string): Window[] {
  const dates = eventStartDates(ics);
  if (dates.length === 0) return [...yearAround(Date.UTC(2020, 0, 1), 'year 2020'), FAR];
  const first = Math.min(...dates);
  const last = Math.max(...dates);
  const windows = [...yearAround(first, 'year of the first DTSTART'), ...dstDays(new Date(first).getUTCFullYear())];
  if (last - first > 366 * DAY_MS) windows.push(...yearAround(last, 'year of the last DTSTART'));
  return [...windows, FAR];
}

/**
 * Windows whose bounds touch occurrences the oracle found in the main year window: one opening
 * at a start (the occurrence is in), one closing at it (out, unless it started earlier), and
 * one opening at an end (out unless zero-length, or another occurrence runs on).
 * @param bounds [start, end] pairs as ISO instants, in the oracle's order.
 */
export function edgeWindows(bounds: [string, string][], perFile = 4): Window[] {
  const starts = [...new Set(bounds.map(([start]) => Date.parse(start)))].sort((a, b) => a - b);
  const ends = [...new Set(bounds.map(([, end]) => Date.parse(end)))].sort((a, b) => a - b);
  const pick = (values: number[]): number[] => [...new Set([...values.slice(0, perFile), ...values.slice(-2)])];
  return [
    ...pick(starts).flatMap((start) => [
      { kind: `opens at a start ${iso(start)}`, from: iso(start), to: iso(start + HOUR_MS), timeZone: MAIN_ZONE },
      { kind: `closes at a start ${iso(start)}`, from: iso(start - HOUR_MS), to: iso(start), timeZone: MAIN_ZONE },
    ]),
    ...pick(ends).map((end) => ({ kind: `opens at an end ${iso(end)}`, from: iso(end), to: iso(end + HOUR_MS), timeZone: MAIN_ZONE })),
  ];
}

/** Whether a VEVENT of the text has an RRULE with neither COUNT nor UNTIL, whose instances go on past every year window. */
export function hasUnboundedSeries(ics: string): boolean {
  let inEvent = false;
  for (const line of ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n|\r/)) {
    if (/^BEGIN:VEVENT\s*$/i.test(line)) inEvent = true;
    else if (/^END:VEVENT\s*$/i.test(line)) inEvent = false;
    const rule = inEvent ? /^RRULE(?:;[^:]*)?:(.*)$/i.exec(line)?.[1]?.trim() : undefined;
    if (rule && !/(^|;)\s*(COUNT|UNTIL)\s*=/i.test(rule)) return true;
  }
  return false;
}

/**
 * The few windows of a cheaper comparison: the main zone's year of the first DTSTART (or year
 * 2020 for a file without one), and the window far ahead when a series never ends.
 */
export function mainWindows(ics: string): Window[] {
  const [main] = firstWindows(ics);
  return hasUnboundedSeries(ics) ? [main!, FAR] : [main!];
}
