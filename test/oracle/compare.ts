/**
 * Occurrence-by-occurrence comparison of the expander with the oracle: both sides as rows of
 * the same shape, a multiset difference, and the documented differences that may explain what
 * remains. The list of differences itself lives in the test that uses it.
 */
import { DateTime } from 'luxon';
import type { NormalizedEvent } from '../../src/providers/provider';
import type { OracleOccurrence } from './oracle';

/** One occurrence as both sides can state it; instants are ISO strings without milliseconds. */
export interface Row {
  /** null for a VEVENT without UID (the expander's `generated-` ids). */
  uid: string | null;
  recurrenceId: string | null;
  start: string;
  end: string;
  allDay: boolean;
  title: string | null;
  status: string;
}

/**
 * A difference between the expander and the oracle that is not a bug of the expander, with the
 * RFC 5545 section that decides it. Each applies to one file; what it explains is given by one
 * of the means below, the narrowest that fits.
 */
export interface Difference {
  file: string;
  what: string;
  rfc: string;
  /** Which side the RFC proves right. */
  right: 'expander' | 'oracle';
  /** The oracle reads the file after this change (an input the library cannot read as written); the comparison stays exact. */
  rewrite?: (ics: string) => string;
  /** Turns an oracle row into the occurrence the RFC gives (null: there is none), before the window is applied. */
  adjust?: (row: Row, timeZone: string) => Row | null;
  /** The unmatched rows it explains, of either side, for what neither a rewrite nor an adjustment can state. */
  rows?: (row: Row, side: 'expander' | 'oracle') => boolean;
  /** Oracle failures matching this are explained, and so are the expander's rows of the UIDs they name (all, for an unreadable file). */
  oracleError?: RegExp;
}

const GENERATED = /^generated-[0-9a-f]+$/;

function instant(iso: string): string {
  return new Date(iso).toISOString().replace('.000Z', 'Z');
}

/** The expander's occurrence as a row. */
export function ourRow(event: NormalizedEvent): Row {
  const uid = event.seriesId ?? event.externalId;
  return {
    uid: GENERATED.test(uid) ? null : uid,
    recurrenceId: event.recurrenceId,
    start: instant(event.startsAt.toISOString()),
    end: instant(event.endsAt.toISOString()),
    allDay: event.allDay,
    title: event.title,
    status: event.status,
  };
}

/** The oracle's occurrence as a row; STATUS is mapped as the expander maps it (absent or unknown: CONFIRMED). */
export function oracleRow(occurrence: OracleOccurrence): Row {
  const status = occurrence.status === 'TENTATIVE' || occurrence.status === 'CANCELLED' ? occurrence.status : 'CONFIRMED';
  return {
    uid: occurrence.uid,
    recurrenceId: occurrence.recurrenceId,
    start: instant(occurrence.start),
    end: instant(occurrence.end),
    allDay: occurrence.allDay,
    title: occurrence.summary,
    status,
  };
}

/** The window rule of both sides: `[start, end)` overlaps `[from, to)`; a zero-length occurrence at t when from <= t < to. */
export function inWindow(row: Row, from: string, to: string): boolean {
  const [start, end, lower, upper] = [row.start, row.end, from, to].map(Date.parse);
  return start === end ? lower <= start && start < upper : start < upper && end > lower;
}

/** A row as one line, for diffs and failure messages. */
export function rowKey(row: Row): string {
  return [row.uid, row.recurrenceId, row.start, row.end, row.allDay ? 'all-day' : 'timed', row.title, row.status].join(' | ');
}

/** The rows only one side has, by multiset difference. */
export function difference(ours: Row[], oracle: Row[]): { onlyOurs: Row[]; onlyOracle: Row[]; matched: number } {
  const pending = new Map<string, Row[]>();
  for (const row of oracle) pending.set(rowKey(row), [...(pending.get(rowKey(row)) ?? []), row]);
  const onlyOurs: Row[] = [];
  let matched = 0;
  for (const row of ours) {
    const same = pending.get(rowKey(row));
    if (same && same.length > 0) {
      same.pop();
      matched += 1;
    } else onlyOurs.push(row);
  }
  return { onlyOurs, onlyOracle: [...pending.values()].flat(), matched };
}

/** The all-day occurrence that lasts the one day of section 3.6.1 instead of no time: it ends at the next local midnight. */
export function oneDay(row: Row, timeZone: string): Row {
  if (!row.allDay || row.start !== row.end) return row;
  const end = DateTime.fromISO(row.start, { zone: timeZone }).plus({ days: 1 });
  return { ...row, end: instant(end.toUTC().toISO() as string) };
}
