/**
 * Bounded expansion of one RRULE (RFC 5545 sections 3.3.10 and 3.8.5.3) with ical.js. The rule is
 * iterated in local wall time, as the RFC requires, and each start is placed on the UTC line by
 * the caller's zone; iteration stops at the end of the window and after a fixed candidate budget.
 */
import ICAL, { type IcalRecur, type IcalRecurIterator, type IcalTime } from './ical-module';
import { DAY_MS, naiveMs, wallAt, wallToUtc, UTC_OFFSETS, type WallTime } from '../../common/time';

/** Candidates ical.js may test for one rule before the expansion is abandoned. */
export const MAX_RULE_CANDIDATES = 100_000;

// A wall time and the instant it denotes differ by one UTC offset (at most 14 hours); wall times
// further than this from a bound are compared without the cost of a zone conversion.
const SLACK_MS = 2 * DAY_MS;

const FIXED_STEP_MS: Partial<Record<string, number>> = {
  SECONDLY: 1000,
  MINUTELY: 60_000,
  HOURLY: 3_600_000,
  DAILY: DAY_MS,
  WEEKLY: 7 * DAY_MS,
};

/**
 * Local start times of a rule's occurrences that start in `[from, to)`.
 * @param rule the RRULE value; it is not modified.
 * @param start DTSTART's wall time; DATE for all-day series.
 * @param toUtc places a wall time of the series on the UTC line (epoch milliseconds).
 * @param from lower bound in epoch milliseconds, already moved back by the occurrence length so
 *   that occurrences starting earlier but still running are included.
 * @param to exclusive upper bound in epoch milliseconds (the window's end).
 * @param maxWalls stop after this many wall times (the caller's occurrence budget), earliest first.
 * @returns wall times, DTSTART first, then ascending; DTSTART may appear twice. It is included
 *   even when it does not match the rule (ical.js drops it then) and even when UNTIL precedes it,
 *   since section 3.8.5.3 makes it the first instance of the recurrence set whatever the rule.
 * @throws Error when ical.js needs more than {@link MAX_RULE_CANDIDATES} candidates, e.g. for
 *   `FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30`, which no date satisfies.
 */
export function expandRule(rule: IcalRecur, start: WallTime, toUtc: (wall: WallTime) => number, from: number, to: number, maxWalls = Infinity): WallTime[] {
  const limit = rule.until ? untilLimit(rule.until, start, toUtc) : Infinity;
  // UNTIL and COUNT are applied here: ical.js compares UNTIL with the floating iteration times
  // as if those were UTC (off by the zone's offset), and miscounts COUNT when BYMONTH skips
  // months across a year end (FREQ=MONTHLY;COUNT=4;BYDAY=+3WE;BYMONTH=1,9,10,11 stops after 3).
  const unbounded = rule.clone();
  unbounded.until = null;
  unbounded.count = null;
  const iterator = unbounded.iterator(toIcalTime(rule.count ? start : fastForward(unbounded, start, from - SLACK_MS)));
  limitCandidates(iterator);

  const startAt = toUtc(start);
  const walls = startAt >= from && startAt < to ? [start] : [];
  const count = rule.count ?? Infinity;
  for (let yielded = 0; yielded < count; yielded += 1) {
    const next = iterator.next();
    if (!next) break;
    const wall = fromIcalTime(next);
    const naive = naiveMs(wall);
    if (naive - SLACK_MS >= Math.min(to, limit)) break;
    if (naive + SLACK_MS < from) continue;
    const at = toUtc(wall);
    if (at >= to || at > limit) break;
    if (at >= from) walls.push(wall);
    if (walls.length >= maxWalls) break;
  }
  return walls;
}

/**
 * The last instant UNTIL allows (inclusive). A DATE-TIME in UTC is exact; a floating one is in
 * DTSTART's zone; a DATE allows the whole local day (section 3.3.10 "UNTIL").
 * Section 3.3.10 wants UNTIL of DTSTART's value type. An all-day series with a DATE-TIME UNTIL
 * ends on a date, chosen without the resource's zone (else a series would have one more instance
 * in Berlin than in New York): the written date of a floating one, and for a UTC one the UTC date
 * nearest to it. Exchange writes the local midnight of the last day in UTC
 * (`UNTIL=20200916T230000Z` ends a London series on 2020-09-17), which that date is for every
 * organizer between UTC-11 and UTC+12; graph-event.mapper.ts reads Graph's all-day instants alike.
 */
function untilLimit(until: IcalTime, start: WallTime, toUtc: (wall: WallTime) => number): number {
  const wall = fromIcalTime(until);
  const isUtc = until.zone === ICAL.Timezone.utcTimezone;
  if (until.isDate || start.isDate) {
    const lastDay = !until.isDate && isUtc ? wallAt(naiveMs(wall) + DAY_MS / 2, true) : { ...wall, isDate: true };
    return toUtc({ ...wallAt(naiveMs(lastDay) + DAY_MS, true), isDate: start.isDate }) - 1;
  }
  return isUtc ? wallToUtc(wall, UTC_OFFSETS) : toUtc(wall);
}

/**
 * Moves the iteration start forward by whole periods for rules whose periods all have the same
 * length, so that a daily series from 1990 does not iterate 36 years before a 2026 window.
 * Only rules without BY* parts other than BYDAY for WEEKLY qualify: for those, every shifted
 * start is itself an occurrence or, for WEEKLY, ical.js aligns it to the first BYDAY of its week.
 * The caller keeps rules with COUNT, which counts from DTSTART, away from here.
 */
function fastForward(rule: IcalRecur, start: WallTime, before: number): WallTime {
  const step = (FIXED_STEP_MS[rule.freq] ?? 0) * rule.interval;
  const parts = Object.keys(rule.parts).filter((part) => !(rule.freq === 'WEEKLY' && part === 'BYDAY'));
  if (step === 0 || parts.length > 0) return start;
  const periods = Math.floor((before - naiveMs(start)) / step);
  return periods > 0 ? wallAt(naiveMs(start) + periods * step, start.isDate) : start;
}

/**
 * ical.js retries candidates inside `next()` until one passes the rule's BY* filters, so a rule
 * no date satisfies never returns. Every candidate goes through `check_contracting_rules`,
 * which makes it the one hook that can bound the loop.
 */
function limitCandidates(iterator: IcalRecurIterator): void {
  let remaining = MAX_RULE_CANDIDATES;
  const check = iterator.check_contracting_rules.bind(iterator);
  iterator.check_contracting_rules = () => {
    remaining -= 1;
    if (remaining < 0) throw new Error(`RRULE needs more than ${MAX_RULE_CANDIDATES} iterations to reach the window`);
    return check();
  };
}

function toIcalTime(wall: WallTime): IcalTime {
  return wall.isDate ? ICAL.Time.fromData({ year: wall.year, month: wall.month, day: wall.day, isDate: true }) : ICAL.Time.fromData({ ...wall });
}

function fromIcalTime(time: IcalTime): WallTime {
  const { year, month, day, hour, minute, second, isDate } = time;
  return { year, month, day, hour, minute, second, isDate };
}
