/**
 * The expander and the oracle on one composed calendar, as comparable rows: for unit tests
 * whose inputs are written in the test, to check each fixed bug against the oracle too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expandCalendar } from '../../src/providers/ical/expand-calendar';
import type { Requirement } from '../helpers/fixtures';
import { inWindow, oracleRow, ourRow, rowKey, type Row } from './compare';
import { oracleExpand, oracleMissing } from './oracle';

/** The oracle as a requirement of describeWithFixtures (it needs no fixture folder). */
export const oracleRequirement: Requirement = { missing: oracleMissing };

// The oracle is asked for a wider window and its answer cut here, as in the corpus comparison.
const MARGIN_MS = 2 * 86_400_000;

/** The oracle's occurrences of `ics` overlapping [from, to), as sorted row keys; errors as `error: ...` lines. */
export function oracleKeys(ics: string, from: string, to: string, timeZone: string): string[] {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'calsync-oracle-'));
  try {
    const file = path.join(folder, 'calendar.ics');
    fs.writeFileSync(file, ics);
    const shift = (iso: string, by: number) => new Date(Date.parse(iso) + by).toISOString();
    const { occurrences, errors } = oracleExpand({ file, from: shift(from, -MARGIN_MS), to: shift(to, MARGIN_MS), timeZone });
    const rows: Row[] = occurrences.map(oracleRow).filter((row) => inWindow(row, from, to));
    return [...rows.map(rowKey).sort(), ...errors.map((error) => `error: ${error.error}`)];
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** The expander's occurrences of `ics` in [from, to), as sorted row keys. */
export function expanderKeys(ics: string, from: string, to: string, timeZone: string): string[] {
  const { events } = expandCalendar(ics, { window: { from: new Date(from), to: new Date(to) }, timeZone });
  return events.map(ourRow).map(rowKey).sort();
}
