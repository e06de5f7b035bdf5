/**
 * Table-driven expander tests that are also run against the oracle: each case states what the
 * expander yields and whether recurring_ical_events agrees, or why it does not (the RFC 5545
 * section that decides). The oracle half skips loudly where the oracle is not installed.
 */
import type { SkippedEvent } from '../../../src/providers/provider';
import { describeWithFixtures } from '../../helpers/fixtures';
import { expanderKeys, oracleKeys, oracleRequirement } from '../../oracle/agreement';
import { calendar, expand } from './fixtures';

export interface Case {
  name: string;
  /** VEVENT and VTIMEZONE lines, wrapped into a VCALENDAR by `calendar()`; or a whole text. */
  lines: string[] | string;
  from: string;
  to: string;
  /** The resource zone, Europe/Berlin unless given. */
  timeZone?: string;
  /** [startsAt, endsAt] of each occurrence as ISO instants, in the expander's order (by start). */
  expected: [string, string][];
  /** The skipped list, exactly; [] unless given. */
  skipped?: SkippedEvent[];
  /** 'agrees', or what the oracle does instead and why the expander is right. */
  oracle: 'agrees' | string;
}

function text(entry: Case): string {
  return typeof entry.lines === 'string' ? entry.lines : calendar(...entry.lines);
}

/** The cases as expander tests, and as oracle comparisons in a second suite. */
export function describeCases(name: string, cases: Case[]): void {
  describe(name, () => {
    it.each(cases.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
      const { events, skipped } = expand(text(entry), entry.from, entry.to, entry.timeZone);
      expect(events.map((event) => [event.startsAt.toISOString(), event.endsAt.toISOString()])).toEqual(
        entry.expected.map(([start, end]) => [new Date(start).toISOString(), new Date(end).toISOString()]),
      );
      expect(skipped).toEqual(entry.skipped ?? []);
    });
  });

  describeWithFixtures(
    `${name}: against the oracle`,
    () => {
      it.each(cases.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
        const zone = entry.timeZone ?? 'Europe/Berlin';
        const ours = expanderKeys(text(entry), entry.from, entry.to, zone);
        const theirs = oracleKeys(text(entry), entry.from, entry.to, zone);
        if (entry.oracle === 'agrees') expect(theirs).toEqual(ours);
        // A documented difference must still be one; if the oracle comes to agree, the note goes.
        else expect(theirs).not.toEqual(ours);
      });
    },
    [oracleRequirement],
  );
}
