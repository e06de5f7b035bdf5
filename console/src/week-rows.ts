import { DateTime } from 'luxon';

/**
 * One row of a week grid: a local wall-clock time (`minutes` after local midnight) and which
 * occurrence of it on a day (0; 1 for the second 02:30 of a day whose clocks go back). `label` is
 * "HH:mm", or "HH:mm (UTC+1)" for a repeat, with the UTC offset after the change (not an
 * abbreviation such as CET: Chromium's en-GB locale data names it "GMT+1", others differently).
 */
export interface WeekRow {
  key: string;
  minutes: number;
  occurrence: number;
  label: string;
}

/** One cell of a day: the UTC instant (ms) it starts at, and its label for people ("Sun 02:30", "Sun 02:30 UTC+1" when that time happens twice that day). */
export interface WeekCell {
  start: number;
  label: string;
}

/**
 * One local day of a week grid: its local midnight, the UTC instants (ms) where it starts and
 * ends (23, 24 or 25 hours apart), its cells by row key, and the clock change it has, if any
 * ("Sun 31 Oct: at 03:00 UTC+2 clocks go back 60 minutes to 02:00 UTC+1.").
 */
export interface WeekDay {
  date: DateTime;
  start: number;
  end: number;
  cells: Map<string, WeekCell>;
  change: string | null;
}

/**
 * The week from `monday` (ISO date) in `zone`, cut into cells of `stepMinutes` that follow true
 * instants: each day's cells are the instants from its local midnight to the next one, every
 * `stepMinutes`, named by the wall-clock time they show. The rows are the union of the days' wall
 * times in the order the days live them, so a week is one table:
 * - a day whose clocks go forward lacks the skipped times: its cells in those rows are absent
 *   (drawn "(no such time)");
 * - a day whose clocks go back shows the repeated times twice, in extra rows after the first ones
 *   (02:00, 02:30, 02:00 (UTC+1), 02:30 (UTC+1), 03:00); the other days have no second 02:00, so their
 *   cells in the extra rows are absent too.
 * Clock changes fall on whole or half hours in every zone in use, so on a 30-minute step.
 */
export function weekLayout(monday: string, zone: string, stepMinutes: number): { days: WeekDay[]; rows: WeekRow[] } {
  const step = stepMinutes * 60_000;
  const rows: WeekRow[] = [];
  const days = Array.from({ length: 7 }, (_, i): WeekDay => {
    const date = DateTime.fromISO(monday, { zone }).plus({ days: i }).startOf('day');
    const start = date.toMillis();
    const end = date.plus({ days: 1 }).startOf('day').toMillis();
    const times: { minutes: number; at: DateTime }[] = [];
    for (let t = start; t < end; t += step) {
      const at = DateTime.fromMillis(t, { zone });
      times.push({ minutes: at.hour * 60 + at.minute, at });
    }
    const count = new Map<number, number>();
    for (const { minutes } of times) count.set(minutes, (count.get(minutes) ?? 0) + 1);
    const seen = new Map<number, number>();
    const cells = new Map<string, WeekCell>();
    let previous = -1;
    for (const { minutes, at } of times) {
      const occurrence = seen.get(minutes) ?? 0;
      seen.set(minutes, occurrence + 1);
      const key = `${minutes}#${occurrence}`;
      const twice = count.get(minutes)! > 1;
      cells.set(key, { start: at.toMillis(), label: at.toFormat(twice ? "ccc HH:mm 'UTC'Z" : 'ccc HH:mm') });
      // A row new to the week goes right after the row of this day's previous cell.
      let index = rows.findIndex((row) => row.key === key);
      if (index < 0) {
        index = previous + 1;
        rows.splice(index, 0, { key, minutes, occurrence, label: at.toFormat(occurrence === 0 ? 'HH:mm' : "HH:mm '(UTC'Z')'") });
      }
      previous = index;
    }
    // From the instant a step before the day: a change at midnight (America/Santiago's) is the day's.
    const change = clockChange([DateTime.fromMillis(start - step, { zone }), ...times.map((time) => time.at)], date);
    return { date, start, end, cells, change };
  });
  return { days, rows };
}

/** The sentence that tells of a day's clock change, from the instants of its cells (and the one before them); null on a day without one. */
function clockChange(instants: DateTime[], date: DateTime): string | null {
  const index = instants.findIndex((at, i) => i > 0 && at.offset !== instants[i - 1].offset);
  if (index < 0) return null;
  const before = instants[index - 1];
  const after = instants[index];
  const delta = after.offset - before.offset;
  const oldClock = after.setZone(`UTC${before.toFormat('ZZ')}`);
  // Chile's clocks go back at the end of a Saturday: "24:00", not the Saturday's 00:00.
  const oldWall = oldClock.toISODate() === date.toISODate() ? oldClock.toFormat('HH:mm') : '24:00';
  return `${date.toFormat('ccc d LLL')}: at ${oldWall} ${before.toFormat("'UTC'Z")} clocks go ${delta < 0 ? 'back' : 'forward'} ${Math.abs(delta)} minutes to ${after.toFormat("HH:mm 'UTC'Z")}.`;
}
