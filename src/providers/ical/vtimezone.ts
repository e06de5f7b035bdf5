/**
 * The UTC offsets a VTIMEZONE component defines (RFC 5545 section 3.6.5), such as Exchange's
 * `W. Europe Standard Time`, expanded by ical.js but looked up here: ical.js's public
 * `utcOffset` takes a wall time and hides which side of a gap or overlap it picked.
 */
import ICAL, { type IcalComponent, type IcalProperty } from './ical-module';
import { naiveMs, wallAt, type UtcOffsets } from '../../common/time';

/** The offsets of a VTIMEZONE, and the span of instants its observances speak for. */
export interface VtimezoneOffsets {
  offsets: UtcOffsets;
  /** The first onset of an observance (epoch ms): before it the VTIMEZONE only repeats its first TZOFFSETFROM. */
  from: number;
  /**
   * The last onset when every observance ends (DTSTART or RDATE only, RRULE with UNTIL): past
   * it the last offset merely continues. Infinity when an observance recurs without end.
   */
  until: number;
}

/** One observance change as ical.js expands it: the onset in UTC fields, offsets in seconds. */
interface ZoneChange {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  utcOffset: number;
  prevUtcOffset: number;
}

/** The expansion state of an ical.js Timezone (its typings make `expandedUntilYear` private). */
interface ExpandingTimezone {
  changes: ZoneChange[];
  expandedUntilYear: number;
  _ensureCoverage(year: number): void;
}

/**
 * Offsets of a VTIMEZONE component (section 3.6.5). ical.js expands the STANDARD/DAYLIGHT
 * observances into a sorted list of onsets at UTC instants, searched here by instant.
 * Offsets are exact to the second (section 3.3.14: `+013045`, the local mean time offsets of
 * tzurl.org's zones such as `-000115`); the observances' offset values are modified in place.
 * Nothing is registered in ical.js's global TimezoneService.
 * @returns null when the component defines no usable observance.
 * @throws Error when a TZOFFSETFROM or TZOFFSETTO is out of range (hours 0-23, minutes and seconds 0-59).
 */
export function vtimezoneOffsets(component: IcalComponent): VtimezoneOffsets | null {
  const observances = component.getAllSubcomponents();
  for (const observance of observances) {
    for (const name of ['tzoffsetfrom', 'tzoffsetto']) exactOffset(observance.getFirstProperty(name));
  }
  const zone = new ICAL.Timezone({ component, tzid: String(component.getFirstPropertyValue('tzid')) }) as unknown as ExpandingTimezone;
  const unexpanded = rdateObservanceOnsets(observances);
  let starts: number[] = [];
  let expandedUntil = -Infinity;
  const changes = (year: number): ZoneChange[] => {
    // ical.js expands every observance again from its DTSTART when it needs later years, and
    // appends: without this, each extension would add a second copy of every earlier onset.
    if (zone.changes.length > 0 && zone.expandedUntilYear < year) zone.changes = [];
    zone._ensureCoverage(year);
    if (zone.expandedUntilYear !== expandedUntil) {
      expandedUntil = zone.expandedUntilYear;
      const onsets = [...zone.changes, ...unexpanded].map((change) => ({ change, at: naiveMs({ ...change, isDate: false }) }));
      onsets.sort((a, b) => a.at - b.at);
      zone.changes = onsets.map(({ change }) => change);
      starts = onsets.map(({ at }) => at);
    }
    return zone.changes;
  };
  const finalYear = lastYear(observances);
  if (changes(Math.max(new Date().getUTCFullYear(), finalYear ?? 0)).length === 0) return null;
  const from = starts[0];
  const until = finalYear === null ? Infinity : starts[starts.length - 1];
  const offsets: UtcOffsets = (epochMs) => {
    const list = changes(new Date(epochMs).getUTCFullYear() + 1);
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (starts[middle] <= epochMs) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? list[0].prevUtcOffset : list[low - 1].utcOffset;
  };
  return { offsets, from, until };
}

/**
 * The DTSTART onsets of observances with RDATEs and no RRULE, which ical.js leaves out (it
 * expands only the RDATEs then), although DTSTART is the first onset of every observance.
 */
function rdateObservanceOnsets(observances: IcalComponent[]): ZoneChange[] {
  return observances.flatMap((observance) => {
    const start = observance.getFirstPropertyValue('dtstart');
    const to = observance.getFirstPropertyValue('tzoffsetto');
    const from = observance.getFirstPropertyValue('tzoffsetfrom');
    if (observance.hasProperty('rrule') || !observance.hasProperty('rdate')) return [];
    if (!(start instanceof ICAL.Time) || !(to instanceof ICAL.UtcOffset) || !(from instanceof ICAL.UtcOffset)) return [];
    // The onset in UTC: local DTSTART minus the offset in force before it.
    const local = { year: start.year, month: start.month, day: start.day, hour: start.hour, minute: start.minute, second: start.second, isDate: false };
    const onset = wallAt(naiveMs(local) - from.toSeconds() * 1000, false);
    return [{ ...onset, utcOffset: to.toSeconds(), prevUtcOffset: from.toSeconds() }];
  });
}

/**
 * The year of the last onset when every observance ends, or null when one recurs without end
 * (an RRULE without UNTIL; COUNT is counted as endless, rare enough not to expand for).
 */
function lastYear(observances: IcalComponent[]): number | null {
  let year = -Infinity;
  for (const observance of observances) {
    const rule = observance.getFirstPropertyValue('rrule');
    if (rule instanceof ICAL.Recur) {
      if (!rule.until) return null;
      year = Math.max(year, rule.until.year);
    }
    for (const name of ['dtstart', 'rdate']) {
      for (const property of observance.getAllProperties(name)) {
        for (const value of property.getValues()) if (value instanceof ICAL.Time) year = Math.max(year, value.year);
      }
    }
  }
  return Number.isFinite(year) ? year : null;
}

// A UTC-OFFSET value as ical.js keeps it in jCal: `+01:30`, `-07:41`, `+01:30:45`.
const JCAL_OFFSET = /^([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Makes ical.js apply a UTC-OFFSET value (section 3.3.14) to the second. Its UtcOffset has no
 * seconds field and its zone expansion computes `hours * 3600 + minutes * 60`: the seconds are
 * given to it as a fraction of a minute, which that expression turns back into exact seconds.
 * The fraction is set after construction, since the constructor truncates to the minute.
 */
function exactOffset(property: IcalProperty | null): void {
  const raw = property?.toJSON()[3];
  if (!property || typeof raw !== 'string') return;
  const match = JCAL_OFFSET.exec(raw);
  if (!match) throw new Error(`Invalid ${property.name.toUpperCase()} "${raw}"`);
  const [hours, minutes, seconds] = [match[2], match[3], match[4] ?? '0'].map(Number);
  if (hours > 23 || minutes > 59 || seconds > 59) throw new Error(`${property.name.toUpperCase()} "${raw}" is out of range`);
  if (seconds === 0) return;
  const offset = new ICAL.UtcOffset({ hours, minutes, factor: match[1] === '-' ? -1 : 1 });
  offset.minutes = minutes + seconds / 60;
  property.setValue(offset);
}

/**
 * The offsets of a TZID that has both a VTIMEZONE and a name the tz database knows: the
 * VTIMEZONE where its observances speak (section 3.2.19 makes it the definition), the named zone
 * before its first onset and past the last onset of a VTIMEZONE whose observances all end.
 * iCalcreator, for one, writes only the observances around the time it writes the file, and
 * ical.js would stretch their offsets over every year before and after.
 */
export function preferVtimezone(defined: VtimezoneOffsets | null, named: UtcOffsets | null): UtcOffsets | null {
  if (!defined) return named;
  if (!named) return defined.offsets;
  const { offsets, from, until } = defined;
  return (epochMs) => (epochMs >= from && epochMs < until ? offsets(epochMs) : named(epochMs));
}
