/**
 * Expansion of iCalendar text (RFC 5545) into the normalized occurrences of a time window, shared
 * by the CalDAV and ICS adapters. VEVENTs are grouped by UID into a master and its overrides
 * (RECURRENCE-ID, section 3.8.4.4); the master's recurrence set (DTSTART, RRULE, RDATE minus
 * EXDATE, section 3.8.5) is expanded and every override replaces the occurrence it names.
 */
import { createHash } from 'node:crypto';
import type { EventStatus, FetchOptions, FetchResult, NormalizedEvent, SkippedEvent, TimeWindow } from '../provider';
import { APPOINTMENT_PROPERTY } from './export-event';
import { expandRule } from './expand-rule';
import ICAL, { type IcalComponent, type IcalDuration, type IcalProperty, type IcalRecur } from './ical-module';
import { eventInWindow } from '../../common/window';
import { addDays, DAY_MS, ianaOffsets, isoDate, naiveMs, UTC_OFFSETS, wallToUtc, type UtcOffsets, type WallTime } from '../../common/time';
import { basicDate, basicUtc, parseJcalTime } from './ical-time';
import { parseCalendars, type VtimezoneLookup } from './parse-calendar';
import { ianaNameOfTzid } from './tzid-zone';
import { preferVtimezone } from './vtimezone';

/** What {@link expandCalendar} returns: the occurrences in the window, the skipped components, and every UID of the text. */
export interface Expansion extends FetchResult {
  /** The UIDs of the VEVENTs read, whether or not they have occurrences in the window (generated ones included). */
  uids: string[];
}

/** A DATE or DATE-TIME value with the zone that places it on the UTC line. */
interface Moment {
  wall: WallTime;
  offsets: UtcOffsets;
  /** The TZID parameter as written, resolved or not; null for UTC, floating and DATE values. */
  tzid: string | null;
}

/** Length of an occurrence: nominal days added in local time, then exact milliseconds (section 3.3.6). */
interface Span {
  days: number;
  ms: number;
}

/** How the TZIDs and floating times of one VEVENT are placed on the UTC line. */
interface Zones {
  resolve(tzid: string): UtcOffsets | null;
  floating: UtcOffsets;
  /** TZIDs that resolve() did not know, read as floating: reported once the VEVENT is read. */
  unknown: Set<string>;
}

/** One VEVENT reduced to what the expansion needs. */
interface EventSpec {
  uid: string;
  vevent: IcalComponent;
  start: Moment;
  span: Span;
  recurrenceId: Moment | null;
  /** RRULEs, RDATEs and EXDATE identities of a master; empty for an override. */
  rules: IcalRecur[];
  rdates: { start: Moment; span: Span }[];
  exdates: Set<string>;
  sequence: number;
  /** The later of LAST-MODIFIED and DTSTAMP, epoch milliseconds; 0 when both are absent. */
  stamp: number;
  /** The component without its volatile time stamps, to tell plain copies from distinct versions. */
  fingerprint: string;
}

/** The VEVENTs sharing a UID: the master (no RECURRENCE-ID) and the overrides. */
interface Group {
  master: EventSpec | null;
  overrides: EventSpec[];
}

/**
 * Occurrences one series may have in a window (an hourly series over a year has 8,784): a
 * tenant's server decides what a calendar holds, and `FREQ=MINUTELY` would make half a million.
 * Beyond it the earliest are kept and the series is reported skipped.
 */
export const MAX_OCCURRENCES_PER_SERIES = 10_000;

/**
 * Occurrences one file (a CalDAV calendar object, a feed) yields at most: RFC 4791 section 4.1
 * allows one UID per calendar object, but servers store what they are given, and a thousand
 * series of {@link MAX_OCCURRENCES_PER_SERIES} each in one object would otherwise expand to ten
 * million events. Series past the budget are not expanded, with a skip reason.
 */
export const MAX_OCCURRENCES_PER_FILE = 100_000;

// Properties that change on every export (Google stamps DTSTAMP with the download time).
const VOLATILE_PROPERTIES = new Set(['dtstamp', 'last-modified', 'created']);

// Properties a VEVENT may have once (section 3.6.1) whose copies would change the occurrences.
const SINGLE_PROPERTIES = ['dtstart', 'dtend', 'duration', 'recurrence-id'];

// The rule parts of section 3.3.10 and RFC 7529, as ical.js names them in jCal.
const RULE_PARTS = new Set([
  ...['freq', 'until', 'count', 'interval', 'bysecond', 'byminute', 'byhour', 'byday', 'bymonthday', 'byyearday', 'byweekno', 'bymonth', 'bysetpos', 'wkst'],
  ...['rscale', 'skip'],
]);

/**
 * Parses iCalendar text (one VCALENDAR, or several concatenated) and returns every VEVENT
 * occurrence overlapping options.window, plus skipped components with reasons. Never throws on
 * bad input: a broken file yields skipped entries.
 *
 * - Occurrences are sorted by `startsAt`. An occurrence `[startsAt, endsAt)` overlaps the window
 *   when `startsAt < to && endsAt > from`; a zero-length one at `t` when `from <= t < to`
 *   (common/window.ts, the rule of every window in Calsync).
 * - Times: `Z` is UTC; a TZID is read through the calendar's VTIMEZONE of that TZID (section
 *   3.2.19), else as the zone it names (IANA, a globally unique TZID, a Windows zone id or an
 *   Outlook display name, see tzid-zone.ts), which also serves the instants a VTIMEZONE's
 *   observances do not cover (see preferVtimezone); floating times and all-day dates are local
 *   to `options.timeZone`. Non-existent and ambiguous local times follow section 3.3.5.
 * - A TZID nobody knows is read in `options.timeZone` too, and reported in `skipped` (the
 *   occurrence is still emitted): the section 3.2.19 VTIMEZONE is missing, and the resource's zone
 *   is the best guess there is. Dropping the event would show a busy resource as free, which
 *   costs a double booking; a wrong zone costs hours, and the report says where to look.
 * - Series: RRULE, RDATE (also PERIOD) and EXDATE (section 3.8.5); an override replaces the
 *   occurrence whose start equals its RECURRENCE-ID (compared as UTC instants, or as dates for
 *   all-day series) and is emitted even when that start lies outside the window. A
 *   `RANGE=THISANDFUTURE` override is treated as an override of its one instance only.
 *   Overrides without a master are emitted as they are; an override whose RECURRENCE-ID the
 *   master excludes by EXDATE is dropped (the instance was deleted after being modified).
 * - Several copies of one component (same UID and RECURRENCE-ID): the higher SEQUENCE wins, then
 *   the later LAST-MODIFIED/DTSTAMP, then the later in the input; dropping a copy that differs
 *   in more than its time stamps is reported as skipped.
 * - `appointmentId` is the trimmed X-CALSYNC-APPOINTMENT of the occurrence's own VEVENT (the
 *   mark of Calsync's exports), null when it has none.
 * - A VEVENT without UID gets `generated-` plus a hash of its content (time stamps excluded), so
 *   that the id stays stable across downloads of an unchanged feed.
 * - Skipped with a reason: unparseable components, missing or invalid DTSTART, invalid values,
 *   DTEND before DTSTART, negative or out-of-range DURATION, RRULEs that cannot be expanded.
 *   Budgets: a series yields at most {@link MAX_OCCURRENCES_PER_SERIES} occurrences, a file at
 *   most {@link MAX_OCCURRENCES_PER_FILE} (whole series past it are left out); each cut is a
 *   skip reason.
 *   Reported in `skipped` but emitted, once per UID: unknown TZIDs (above), repeated DTSTART,
 *   DTEND, DURATION or RECURRENCE-ID (the first counts), unknown RRULE parts (ignored), RRULEs
 *   in another calendar scale (RFC 7529; DTSTART alone is kept).
 *   VTODO, VJOURNAL, VFREEBUSY and VALARM are ignored.
 * @param ics the text of an `.ics` file or CalDAV calendar object.
 * @param options the window (UTC instants) and the resource's IANA time zone.
 * @throws RangeError when options.timeZone is not an IANA time zone (a caller bug, not bad input).
 */
export function expandCalendar(ics: string, options: FetchOptions): Expansion {
  const floating = ianaOffsets(options.timeZone);
  if (!floating) throw new RangeError(`Unknown IANA time zone "${options.timeZone}"`);
  const parsed = parseCalendars(ics);
  const skipped: SkippedEvent[] = [...parsed.skipped];
  const named = new Map<string, UtcOffsets | null>();
  const namedZone = (tzid: string): UtcOffsets | null => {
    if (!named.has(tzid)) {
      const name = ianaNameOfTzid(tzid);
      named.set(tzid, name === null ? null : ianaOffsets(name));
    }
    return named.get(tzid) ?? null;
  };

  // Each TZID of each calendar is resolved once; the events of a calendar share its lookup.
  const resolved = new Map<VtimezoneLookup, Map<string, UtcOffsets | null>>();
  const resolve = (vtimezones: VtimezoneLookup, tzid: string): UtcOffsets | null => {
    let byTzid = resolved.get(vtimezones);
    if (!byTzid) resolved.set(vtimezones, (byTzid = new Map()));
    if (!byTzid.has(tzid)) byTzid.set(tzid, preferVtimezone(vtimezones(tzid), namedZone(tzid)));
    return byTzid.get(tzid) ?? null;
  };

  const groups = new Map<string, Group>();
  const reported = new Set<string>();
  for (const { vevent, vtimezones } of parsed.events) {
    const zones: Zones = { resolve: (tzid) => resolve(vtimezones, tzid), floating, unknown: new Set() };
    const notes: string[] = [];
    try {
      const spec = readEvent(vevent, zones, notes);
      addToGroup(groups, spec, skipped);
      for (const tzid of zones.unknown) notes.push(`Unknown TZID "${tzid}" (no VTIMEZONE, no known zone): its times were read in ${options.timeZone}`);
      // Reported once per series, though the master and each override may repeat it.
      for (const reason of notes) {
        const key = `${spec.uid}\n${reason}`;
        if (reported.has(key)) continue;
        reported.add(key);
        skipped.push({ uid: spec.uid, reason });
      }
    } catch (error) {
      skipped.push({ uid: text(vevent, 'uid'), reason: (error as Error).message });
    }
  }

  const events: NormalizedEvent[] = [];
  let unexpanded = 0;
  for (const [uid, group] of groups) {
    if (events.length >= MAX_OCCURRENCES_PER_FILE) {
      unexpanded++;
      continue;
    }
    try {
      // One by one: spreading a large array into push overflows the stack.
      for (const event of expandGroup(group, options.window, skipped)) events.push(event);
    } catch (error) {
      skipped.push({ uid, reason: (error as Error).message });
    }
  }
  if (unexpanded > 0) {
    skipped.push({
      uid: null,
      reason: `The file has more than ${MAX_OCCURRENCES_PER_FILE} occurrences in the window; ${unexpanded} of its series were not expanded`,
    });
  }
  events.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.externalId < b.externalId ? -1 : 1));
  return { events, skipped, uids: [...groups.keys()] };
}

/** The VEVENT's EventSpec; what it had to read leniently is added to `notes`. */
function readEvent(vevent: IcalComponent, zones: Zones, notes: string[]): EventSpec {
  const startProperty = vevent.getFirstProperty('dtstart');
  if (!startProperty) throw new Error('VEVENT has no DTSTART');
  for (const single of SINGLE_PROPERTIES) {
    const count = vevent.getAllProperties(single).length;
    if (count > 1) notes.push(`VEVENT has ${count} ${single.toUpperCase()} properties (RFC 5545 section 3.6.1 allows one): the first was used`);
  }
  const start = readMoment(startProperty, zones);
  const span = readSpan(vevent, start, zones);
  if (!isInstant(endOf(start, toUtc(start), span))) throw new Error('DTEND or DURATION is out of range');
  const recurrenceProperty = vevent.getFirstProperty('recurrence-id');
  const recurrenceId = recurrenceProperty ? readMoment(recurrenceProperty, zones) : null;
  const [name, properties, components] = vevent.toJSON() as [string, unknown[][], unknown[]];
  const fingerprint = JSON.stringify([name, properties.filter(([key]) => !VOLATILE_PROPERTIES.has(String(key))), components]);
  return {
    uid: text(vevent, 'uid') ?? `generated-${createHash('sha256').update(fingerprint).digest('hex').slice(0, 32)}`,
    vevent,
    start,
    span,
    recurrenceId,
    rules: recurrenceId ? [] : vevent.getAllProperties('rrule').flatMap((property) => readRule(property, notes)),
    rdates: recurrenceId ? [] : vevent.getAllProperties('rdate').flatMap((property) => readRdates(property, start, span, zones)),
    exdates: new Set(
      recurrenceId
        ? []
        : vevent.getAllProperties('exdate').flatMap((property) => readMoments(property, zones).map((exdate) => identity(coerce(exdate, start)))),
    ),
    sequence: Number(vevent.getFirstPropertyValue('sequence')) || 0,
    stamp: Math.max(stampOf(vevent, 'last-modified'), stampOf(vevent, 'dtstamp')),
    fingerprint,
  };
}

/** The length given by DTEND or DURATION, else the defaults of section 3.6.1. */
function readSpan(vevent: IcalComponent, start: Moment, zones: Zones): Span {
  const endProperty = vevent.getFirstProperty('dtend');
  if (endProperty) return spanBetween(start, coerce(readMoment(endProperty, zones), start), 'DTEND before DTSTART');
  if (vevent.hasProperty('duration')) {
    const duration = vevent.getFirstPropertyValue('duration');
    if (!(duration instanceof ICAL.Duration)) throw new Error('Invalid DURATION');
    return durationSpan(duration, start.wall.isDate);
  }
  // A DATE start alone lasts one day, a DATE-TIME start alone no time at all.
  return { days: start.wall.isDate ? 1 : 0, ms: 0 };
}

/** The span from start to end: whole days for dates, exact time otherwise; `reversed` is the reason if negative. */
function spanBetween(start: Moment, end: Moment, reversed: string): Span {
  if (start.wall.isDate) {
    const days = Math.round((naiveMs(end.wall) - naiveMs(start.wall)) / DAY_MS);
    if (days < 0) throw new Error(reversed);
    // A DTEND on the start date itself is read as the single day of section 3.6.1.
    return { days: Math.max(days, 1), ms: 0 };
  }
  const ms = toUtc(end) - toUtc(start);
  if (ms < 0) throw new Error(reversed);
  return { days: 0, ms };
}

/** Weeks and days of a DURATION are nominal, hours to seconds exact (section 3.3.6). */
function durationSpan(duration: IcalDuration, isDate: boolean): Span {
  if (duration.isNegative) throw new Error('Negative DURATION');
  const days = duration.weeks * 7 + duration.days;
  const ms = ((duration.hours * 60 + duration.minutes) * 60 + duration.seconds) * 1000;
  // An all-day event covers whole days: a time part extends it to the next day boundary.
  return isDate ? { days: Math.max(days + Math.ceil(ms / DAY_MS), 1), ms: 0 } : { days, ms };
}

/**
 * An RRULE value; an empty one (`RRULE:`, as calendarlabs.com writes) adds nothing.
 * - A rule part section 3.3.10 does not define (`UNTL=20191023`, a typo) is ignored, as ical.js
 *   does, and reported: the rule then recurs further than meant, which shows a resource busy
 *   too long rather than free when it is not.
 * - A calendar scale other than Gregorian or a SKIP (RFC 7529), which ical.js cannot expand,
 *   leaves DTSTART alone, the first instance in any scale (section 3.8.5.3), and is reported:
 *   Gregorian dates for `RSCALE=CHINESE` would all be wrong.
 */
function readRule(property: IcalProperty, notes: string[]): IcalRecur[] {
  const parts = property.toJSON()[3] as Record<string, unknown>;
  // ical.js stores an empty RRULE as `{ '': undefined }`, which serializes as `{}`.
  if (JSON.stringify(parts) === '{}') return [];
  const rule = property.getFirstValue();
  if (!(rule instanceof ICAL.Recur) || !rule.freq) throw new Error('RRULE without FREQ');
  const unknown = Object.keys(parts).filter((part) => !RULE_PARTS.has(part) && !part.startsWith('x-'));
  if (unknown.length > 0) notes.push(`RRULE part ${unknown.map((part) => part.toUpperCase()).join(', ')} is not one of RFC 5545 section 3.3.10: ignored`);
  const scale = String(parts.rscale ?? 'GREGORIAN').toUpperCase();
  const skip = String(parts.skip ?? 'OMIT').toUpperCase();
  if (scale !== 'GREGORIAN' || skip !== 'OMIT') {
    notes.push(`RRULE with RSCALE=${scale};SKIP=${skip} (RFC 7529) cannot be expanded: only DTSTART was kept`);
    return [];
  }
  return [rule];
}

/** RDATE values (section 3.8.5.2): DATE or DATE-TIME with the master's length, or PERIOD with its own. */
function readRdates(property: IcalProperty, start: Moment, span: Span, zones: Zones): { start: Moment; span: Span }[] {
  const { tzid, values } = rawValues(property);
  return values.map((value) => {
    if (!Array.isArray(value)) return { start: coerce(toMoment(value, tzid, zones, 'RDATE'), start), span };
    const periodStart = coerce(toMoment(value[0], tzid, zones, 'RDATE'), start);
    if (start.wall.isDate) return { start: periodStart, span };
    const end = String(value[1]);
    const periodSpan = end.startsWith('P')
      ? durationSpan(ICAL.Duration.fromString(end), false)
      : spanBetween(periodStart, toMoment(end, tzid, zones, 'RDATE'), 'RDATE period ends before it starts');
    return { start: periodStart, span: periodSpan };
  });
}

function readMoment(property: IcalProperty, zones: Zones): Moment {
  const { tzid, values } = rawValues(property);
  return toMoment(values[0], tzid, zones, property.name.toUpperCase());
}

function readMoments(property: IcalProperty, zones: Zones): Moment[] {
  const { tzid, values } = rawValues(property);
  return values.map((value) => toMoment(value, tzid, zones, property.name.toUpperCase()));
}

/**
 * The jCal values of a property and its TZID. Parameter names must be iana-tokens or x-names
 * (section 3.1): `DTSTART;;VALUE=...` makes ical.js invent a `;value` parameter and the meaning
 * of the value uncertain. An empty RDATE or EXDATE (`RDATE:`, read by ical.js as `--T::`) adds
 * nothing and is dropped.
 */
function rawValues(property: IcalProperty): { tzid: string | null; values: unknown[] } {
  const [name, parameters, , ...values] = property.toJSON() as [string, Record<string, unknown>, string, ...unknown[]];
  const malformed = Object.keys(parameters).find((key) => !/^[a-z0-9-]+$/i.test(key));
  if (malformed) throw new Error(`Malformed parameter "${malformed}" on ${name.toUpperCase()}`);
  const tzid = typeof parameters.tzid === 'string' ? parameters.tzid : null;
  const multiValued = name === 'rdate' || name === 'exdate';
  return { tzid, values: multiValued ? values.filter((value) => typeof value !== 'string' || /\d/.test(value)) : values };
}

function toMoment(value: unknown, tzid: string | null, zones: Zones, name: string): Moment {
  const parsed = typeof value === 'string' ? parseJcalTime(value) : null;
  if (!parsed) throw new Error(`Invalid ${name} value "${String(value)}"`);
  const { wall, utc } = parsed;
  if (utc) return { wall, offsets: UTC_OFFSETS, tzid: null };
  if (wall.isDate || !tzid) return { wall, offsets: zones.floating, tzid: null };
  const offsets = zones.resolve(tzid);
  if (!offsets) zones.unknown.add(tzid);
  return { wall, offsets: offsets ?? zones.floating, tzid };
}

/**
 * Brings a value to DTSTART's type, which DTEND, RDATE, EXDATE and RECURRENCE-ID must share
 * (sections 3.8.2.2, 3.8.5.1, 3.8.5.2, 3.8.4.4) but often do not: a DATE-TIME keeps its written
 * date, a DATE takes DTSTART's time of day and zone.
 */
function coerce(moment: Moment, like: Moment): Moment {
  if (moment.wall.isDate === like.wall.isDate) return moment;
  const time = like.wall.isDate ? { hour: 0, minute: 0, second: 0 } : { hour: like.wall.hour, minute: like.wall.minute, second: like.wall.second };
  return { wall: { ...moment.wall, ...time, isDate: like.wall.isDate }, offsets: like.offsets, tzid: like.tzid };
}

/** The RECURRENCE-ID an occurrence starting at this moment has: `YYYYMMDD`, or UTC `YYYYMMDDTHHMMSSZ`. */
function identity(moment: Moment): string {
  return moment.wall.isDate ? basicDate(moment.wall) : basicUtc(toUtc(moment));
}

function toUtc(moment: Moment): number {
  return wallToUtc(moment.wall, moment.offsets);
}

function endOf(start: Moment, startsAt: number, span: Span): number {
  const base = span.days === 0 ? startsAt : toUtc({ ...start, wall: addDays(start.wall, span.days) });
  return base + span.ms;
}

function isInstant(epochMs: number): boolean {
  return Number.isFinite(epochMs) && Math.abs(epochMs) <= 8.64e15;
}

function addToGroup(groups: Map<string, Group>, spec: EventSpec, skipped: SkippedEvent[]): void {
  const group = groups.get(spec.uid) ?? { master: null, overrides: [] };
  groups.set(spec.uid, group);
  if (spec.recurrenceId) group.overrides.push(spec);
  else group.master = keepNewer(group.master, spec, null, skipped);
}

/** Of two copies of one component, the newer by SEQUENCE (section 3.8.7.4), then by time stamps, then by input order. */
function keepNewer(kept: EventSpec | null, candidate: EventSpec, recurrenceId: string | null, skipped: SkippedEvent[]): EventSpec {
  if (!kept) return candidate;
  const candidateWins = candidate.sequence !== kept.sequence ? candidate.sequence > kept.sequence : candidate.stamp >= kept.stamp;
  const [winner, loser] = candidateWins ? [candidate, kept] : [kept, candidate];
  if (winner.fingerprint !== loser.fingerprint) {
    const which = recurrenceId ? ` with RECURRENCE-ID ${recurrenceId}` : '';
    skipped.push({
      uid: winner.uid,
      reason: `Duplicate VEVENT${which}: kept SEQUENCE ${winner.sequence}, dropped a different SEQUENCE ${loser.sequence} version`,
    });
  }
  return winner;
}

function expandGroup({ master, overrides }: Group, window: TimeWindow, skipped: SkippedEvent[]): NormalizedEvent[] {
  if (master && overrides.length === 0 && master.rules.length === 0 && master.rdates.length === 0) {
    return [occurrence(master, master.start, master.span, null)].filter((event) => eventInWindow(event, window));
  }
  // Keyed by the occurrence they replace, which needs the master's value type to compare.
  const replacements = new Map<string, EventSpec>();
  for (const override of overrides) {
    const recurrenceId = override.recurrenceId as Moment;
    const id = identity(master ? coerce(recurrenceId, master.start) : recurrenceId);
    replacements.set(id, keepNewer(replacements.get(id) ?? null, override, id, skipped));
  }
  const occurrences: NormalizedEvent[] = [];
  for (const [id, override] of replacements) {
    // Deleting a modified instance adds an EXDATE but may leave the modification behind.
    if (!master?.exdates.has(id)) occurrences.push(occurrence(override, override.start, override.span, id));
  }
  if (master) {
    const seen = new Set(replacements.keys());
    let kept = 0;
    for (const { start, span } of recurrenceSet(master, window)) {
      const id = identity(start);
      if (seen.has(id) || master.exdates.has(id)) continue;
      if (kept++ === MAX_OCCURRENCES_PER_SERIES) {
        skipped.push({
          uid: master.uid,
          reason: `The series has more than ${MAX_OCCURRENCES_PER_SERIES} occurrences in the window; only its first ${MAX_OCCURRENCES_PER_SERIES} are kept`,
        });
        break;
      }
      seen.add(id);
      occurrences.push(occurrence(master, start, span, id));
    }
  }
  return occurrences.filter((event) => eventInWindow(event, window));
}

/** Candidate occurrences of a master near the window: DTSTART or the RRULE expansions, and the RDATEs. */
function recurrenceSet(master: EventSpec, window: TimeWindow): { start: Moment; span: Span }[] {
  // Occurrences that start before the window may still run into it; one more day absorbs DST.
  const from = window.from.getTime() - (master.span.days + 1) * DAY_MS - master.span.ms;
  const toUtcOf = (wall: WallTime): number => wallToUtc(wall, master.start.offsets);
  // The budget, plus DTSTART's possible second copy, plus one that tells there are more.
  const budget = MAX_OCCURRENCES_PER_SERIES + 2;
  const walls =
    master.rules.length === 0
      ? [master.start.wall]
      : master.rules.flatMap((rule) => expandRule(rule, master.start.wall, toUtcOf, from, window.to.getTime(), budget));
  const candidates = [...walls.map((wall) => ({ start: { ...master.start, wall }, span: master.span })), ...master.rdates];
  // Over budget, the earliest are kept: they are the ones about to block time.
  return candidates.length > MAX_OCCURRENCES_PER_SERIES ? candidates.sort((a, b) => toUtc(a.start) - toUtc(b.start)) : candidates;
}

function occurrence(spec: EventSpec, start: Moment, span: Span, recurrenceId: string | null): NormalizedEvent {
  const startsAt = toUtc(start);
  const allDay = start.wall.isDate;
  return {
    externalId: recurrenceId ? `${spec.uid}#${recurrenceId}` : spec.uid,
    seriesId: recurrenceId ? spec.uid : null,
    recurrenceId,
    title: text(spec.vevent, 'summary'),
    startsAt: new Date(startsAt),
    endsAt: new Date(endOf(start, startsAt, span)),
    allDay,
    startDate: allDay ? isoDate(start.wall) : null,
    endDate: allDay ? isoDate(addDays(start.wall, span.days)) : null,
    status: statusOf(spec.vevent),
    transparency: String(spec.vevent.getFirstPropertyValue('transp') ?? '').toUpperCase() === 'TRANSPARENT' ? 'TRANSPARENT' : 'OPAQUE',
    timeZone: spec.start.tzid,
    appointmentId: appointmentIdOf(spec.vevent),
  };
}

/** X-CALSYNC-APPOINTMENT, the mark Calsync's own exports carry (see export-event.ts); null when absent or blank. */
function appointmentIdOf(vevent: IcalComponent): string | null {
  const value = vevent.getFirstPropertyValue(APPOINTMENT_PROPERTY.toLowerCase());
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** STATUS of a VEVENT (section 3.8.1.11); absent or unknown values count as CONFIRMED. */
function statusOf(vevent: IcalComponent): EventStatus {
  const status = String(vevent.getFirstPropertyValue('status') ?? '').toUpperCase();
  return status === 'TENTATIVE' || status === 'CANCELLED' ? status : 'CONFIRMED';
}

function text(vevent: IcalComponent, name: string): string | null {
  const value = vevent.getFirstPropertyValue(name);
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A UTC time stamp property (DTSTAMP, LAST-MODIFIED) in epoch milliseconds; 0 when absent or invalid. */
function stampOf(vevent: IcalComponent, name: string): number {
  const value = vevent.getFirstProperty(name)?.toJSON()[3];
  const parsed = typeof value === 'string' ? parseJcalTime(value) : null;
  return parsed ? naiveMs(parsed.wall) : 0;
}
