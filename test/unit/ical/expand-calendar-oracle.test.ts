/**
 * The expander against an independent oracle, python-recurring-ical-events (test/oracle), on
 * every file of the shared fixture corpus: for each file the year around its first (and last)
 * DTSTART in four resource zones, the DST days of that year, spring 2036 for unbounded series,
 * and windows opening or closing exactly at occurrence bounds. Both sides must yield the same
 * occurrences (UID, RECURRENCE-ID, start, end, all-day, title, status), except for the
 * DIFFERENCES of test/oracle/differences.ts, each decided by RFC 5545. The expander must never
 * throw, and must report the files that are malformed on purpose.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expandCalendar } from '../../../src/providers/ical/expand-calendar';
import type { NormalizedEvent, SkippedEvent } from '../../../src/providers/provider';
import { describeWithFixtures, FIXTURES, fixtureFiles, fixtureFolder, type Requirement } from '../../helpers/fixtures';
import { compare, inWindow, oracleRow, ourRow, type Difference } from '../../oracle/compare';
import { DIFFERENCES, MALFORMED, NOTHING_TO_REPORT } from '../../oracle/differences';
import { oracleExpandAll, oracleMissing, type OracleResult } from '../../oracle/oracle';
import { edgeWindows, firstWindows, MAIN_ZONE, type Window } from '../../oracle/windows';

const MARGIN_MS = 2 * 86_400_000;

interface Checked {
  problems: string[];
  windows: number;
  matched: number;
  explained: number;
}

const files = fixtureFiles();
const oracle: Requirement = { missing: oracleMissing };

describeWithFixtures(
  'expandCalendar agrees with recurring_ical_events on the fixture corpus',
  () => {
    const checked = new Map<string, Checked>();
    const used = new Map<Difference, number>();

    beforeAll(() => {
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'calsync-oracle-'));
      const texts = new Map(files.map((file) => [file, fs.readFileSync(path.join(FIXTURES, file), 'utf8')]));
      // The oracle reads rewritten copies of the files a difference rewrites.
      const oracleFile = new Map(
        files.map((file) => {
          const rewrites = DIFFERENCES.filter((entry) => entry.file === file && entry.rewrite);
          if (rewrites.length === 0) return [file, path.join(FIXTURES, file)];
          const target = path.join(scratch, file.replace(/\//g, '__'));
          fs.writeFileSync(
            target,
            rewrites.reduce((text, entry) => (entry.rewrite as (ics: string) => string)(text), texts.get(file) as string),
          );
          for (const entry of rewrites) used.set(entry, (used.get(entry) ?? 0) + 1);
          return [file, target];
        }),
      );
      const ask = (jobs: { file: string; window: Window }[]) =>
        oracleExpandAll(
          jobs.map(({ file, window }) => ({
            file: oracleFile.get(file) as string,
            from: new Date(Date.parse(window.from) - MARGIN_MS).toISOString(),
            to: new Date(Date.parse(window.to) + MARGIN_MS).toISOString(),
            timeZone: window.timeZone,
          })),
        );
      const first = files.flatMap((file) => firstWindows(texts.get(file) as string).map((window) => ({ file, window })));
      const firstAnswers = ask(first);
      const edges = first.flatMap(({ file, window }, index) => {
        if (!window.kind.startsWith('year of the first') || window.timeZone !== MAIN_ZONE) return [];
        const rows = firstAnswers[index].occurrences.map(oracleRow).filter((row) => inWindow(row, window.from, window.to));
        return edgeWindows(rows.map((row) => [row.start, row.end])).map((edge) => ({ file, window: edge }));
      });
      const jobs = [...first, ...edges];
      const answers = [...firstAnswers, ...ask(edges)];
      fs.rmSync(scratch, { recursive: true, force: true });

      jobs.forEach(({ file, window }, index) => {
        const result = checked.get(file) ?? { problems: [], windows: 0, matched: 0, explained: 0 };
        checked.set(file, result);
        result.windows += 1;
        check(file, texts.get(file) as string, window, answers[index], result, used);
      });
    }, 600_000);

    if (files.length > 0) {
      it.each(files)('%s', (file) => {
        expect(checked.get(file)?.problems ?? ['not compared']).toEqual([]);
      });
    }

    it('lists only differences that occur', () => {
      expect(DIFFERENCES.filter((entry) => !used.has(entry)).map((entry) => `${entry.file}: ${entry.what}`)).toEqual([]);
    });

    afterAll(() => {
      const all = [...checked.values()];
      const sum = (pick: (result: Checked) => number) => all.reduce((total, result) => total + pick(result), 0);
      const causes = new Map<string, string[]>();
      for (const entry of DIFFERENCES) {
        const cause = `${entry.what} (${entry.rfc}; ${entry.right} right)`;
        causes.set(cause, [...(causes.get(cause) ?? []), `${entry.file} x${used.get(entry) ?? 0}`]);
      }
      console.log(
        [
          `Oracle comparison: ${checked.size} files, ${sum((result) => result.windows)} windows, ${sum((result) => result.matched)} occurrences matched, ` +
            `${sum((result) => result.explained)} rows explained by ${DIFFERENCES.length} documented differences (${causes.size} causes):`,
          ...[...causes].map(([cause, where]) => `- ${cause}\n    ${where.join(', ')}`),
        ].join('\n'),
      );
    });
  },
  [fixtureFolder, oracle],
);

/** Expands one window of one file and compares it with the oracle's answer; records problems, matches and what documented differences explained. */
function check(file: string, text: string, window: Window, answer: OracleResult, result: Checked, used: Map<Difference, number>): void {
  const where = `${window.kind} [${window.from}, ${window.to}) ${window.timeZone}`;
  let expansion: { events: NormalizedEvent[]; skipped: SkippedEvent[] };
  try {
    expansion = expandCalendar(text, { window: { from: new Date(window.from), to: new Date(window.to) }, timeZone: window.timeZone });
  } catch (error) {
    result.problems.push(`${where}: the expander threw ${(error as Error).message}`);
    return;
  }
  if (MALFORMED.test(file) && !NOTHING_TO_REPORT[file] && expansion.skipped.length === 0)
    result.problems.push(`${where}: malformed on purpose, but nothing was reported skipped`);
  const comparison = compare(expansion.events.map(ourRow), expansion.skipped, answer, file, window, DIFFERENCES);
  result.problems.push(...comparison.problems);
  result.matched += comparison.matched;
  result.explained += comparison.explained;
  for (const entry of comparison.used) used.set(entry, (used.get(entry) ?? 0) + 1);
}
