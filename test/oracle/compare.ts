/**
 * Occurrence-by-occurrence comparison of the expander with the oracle: both sides as rows of
 * the same shape, a multiset difference, and the documented differences that may explain what
 * remains (the corpus's list is differences.ts), and {@link compare}, which puts them together.
 */
import { DateTime } from 'luxon';
import type { NormalizedEvent, SkippedEvent } from '../../src/providers/provider';
import type { OracleOccurrence, OracleResult } from './oracle';
import type { Window } from './windows';

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
 * A change of a file's text for the oracle. `partial`: the text is one calendar object of the
 * file (as a CalDAV server holds it), which need not contain everything the rewrite changes.
 */
export type Rewrite = (ics: string, options?: { partial?: boolean }) => string;

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
  rewrite?: Rewrite;
  /** Turns an oracle row into the occurrence the RFC gives (null: there is none), before the window is applied. */
  adjust?: (row: Row, timeZone: string) => Row | null;
  /** The unmatched rows it explains, of either side, for what neither a rewrite nor an adjustment can state. */
  rows?: (row: Row, side: 'expander' | 'oracle') => boolean;
  /**
   * Oracle failures matching this are explained, and so are the expander's rows of the UIDs they
   * name (all, for an unreadable file; those of the object, for an unreadable object named by its UID).
   */
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

/** What {@link compare} found in one window of one file. */
export interface Comparison {
  problems: string[];
  matched: number;
  /** Unmatched rows that a documented difference explains (or that belong to a UID the oracle failed on for a documented reason). */
  explained: number;
  /** The differences that explained something, once per use. */
  used: Difference[];
}

/**
 * Compares the expander's occurrences of one window of one file with the oracle's answer for it:
 * the oracle's rows are adjusted, cut to the window and matched as a multiset; what remains on
 * either side, and each oracle failure, must be explained by one of `differences` for this file.
 * @param ours the expander's occurrences (already clipped to the window by the expander).
 * @param skipped what the expander reported skipped: an oracle failure on a UID it skipped too needs no explanation.
 * @param answer the oracle's answer, asked for a window at least as wide; an unreadable object (not
 *   the whole file) is an `unreadable:` error carrying the UID the object holds.
 */
export function compare(
  ours: Row[],
  skipped: SkippedEvent[],
  answer: OracleResult,
  file: string,
  window: Window,
  differences: readonly Difference[],
): Comparison {
  const where = `${window.kind} [${window.from}, ${window.to}) ${window.timeZone}`;
  const result: Comparison = { problems: [], matched: 0, explained: 0, used: [] };
  const entries = differences.filter((entry) => entry.file === file);
  const use = (entry: Difference) => result.used.push(entry);

  const oracleRows = answer.occurrences
    .map(oracleRow)
    .flatMap((row) => {
      let adjusted: Row | null = row;
      for (const entry of entries) {
        if (!adjusted || !entry.adjust) continue;
        const next = entry.adjust(adjusted, window.timeZone);
        if (next === null || rowKey(next) !== rowKey(adjusted)) use(entry);
        adjusted = next;
      }
      return adjusted ? [adjusted] : [];
    })
    .filter((row) => inWindow(row, window.from, window.to));
  const { onlyOurs, onlyOracle, matched } = difference(ours, oracleRows);
  result.matched = matched;

  // UIDs the oracle failed on: explained by a difference, or rejected by the expander too.
  const skippedUids = new Set(skipped.map((skip) => skip.uid));
  const unverifiable = new Set<string | null>();
  for (const error of answer.errors) {
    const unreadable = error.error.startsWith('unreadable:');
    // An unreadable file hides every UID; an unreadable object only its own.
    const hidden = unreadable && error.uid !== null ? onlyOurs.filter((row) => row.uid === error.uid) : unreadable ? onlyOurs : [];
    const entry = entries.find((candidate) => candidate.oracleError?.test(error.error));
    if (entry) {
      use(entry);
      if (unreadable) for (const row of hidden) unverifiable.add(row.uid);
      else unverifiable.add(error.uid);
    } else if (unreadable ? hidden.length > 0 : !skippedUids.has(error.uid)) {
      const what = unreadable ? (error.uid === null ? 'the file' : `the object of UID ${error.uid}`) : `UID ${error.uid}`;
      result.problems.push(`${where}: the oracle failed (${error.error.split('\n')[0]}) for ${what}, which the expander did not skip`);
    }
  }
  for (const [side, rows] of [
    ['expander', onlyOurs],
    ['oracle', onlyOracle],
  ] as const) {
    for (const row of rows) {
      const entry = entries.find((candidate) => candidate.rows?.(row, side));
      if (entry) use(entry);
      if (entry || (side === 'expander' && unverifiable.has(row.uid))) result.explained += 1;
      else result.problems.push(`${where}: only the ${side}: ${rowKey(row)}`);
    }
  }
  return result;
}
