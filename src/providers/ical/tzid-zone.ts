/**
 * IANA names for the TZIDs real calendars write when a TZID has no VTIMEZONE in its calendar
 * (RFC 5545 section 3.2.19 requires one, but Exchange, Outlook, khal and others leave it out):
 * IANA names themselves, globally unique TZIDs with a vendor prefix (section 3.8.3.1, e.g.
 * `/freeassociation.sourceforge.net/Europe/Berlin`), Windows zone ids (`W. Europe Standard
 * Time`) through the CLDR table of the windows-iana package, and Outlook's display names
 * (`(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna`).
 */
import { IANAZone } from 'luxon';
import { findIana } from 'windows-iana';
import { isIanaZone } from '../../common/time';

// TZIDs repeat across every calendar of a sync; the map is cleared when full, since TZIDs come
// from arbitrary input.
const MAX_CACHED = 1000;
const cache = new Map<string, string | null>();

// The top-level areas of the tz database, where a city of a display name is looked for.
const AREAS = ['Europe', 'America', 'Asia', 'Africa', 'Australia', 'Pacific', 'Atlantic', 'Indian', 'Antarctica'];

// `(UTC+01:00) Amsterdam, ...`, `(UTC) Coordinated Universal Time`, older Windows `(GMT-05:00) ...`.
const DISPLAY_NAME = /^\((?:UTC|GMT)(?:([+-])(\d{1,2}):(\d{2}))?\)\s*(.+)$/;

/**
 * The IANA time zone a TZID stands for, without looking at VTIMEZONEs (the caller tries the
 * calendar's VTIMEZONE first, as section 3.2.19 wants).
 * - An IANA name the runtime knows is itself.
 * - A globally unique TZID (leading solidus, section 3.8.3.1) or a tz database path such as
 *   `posix/Europe/Vaduz` is the longest trailing `Area/City` the runtime knows.
 * - A Windows zone id maps to the CLDR default zone of its territory `001`, e.g.
 *   `Eastern Standard Time` to `America/New_York`.
 * - An Outlook display name maps through its Windows id (`Eastern Time (US & Canada)` is
 *   `Eastern Standard Time`) or one of its cities, provided the zone's standard offset is the
 *   one the name states.
 * @returns the IANA name, or null when the TZID is none of these.
 */
export function ianaNameOfTzid(tzid: string): string | null {
  const cached = cache.get(tzid);
  if (cached !== undefined) return cached;
  const name = resolve(tzid.trim());
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(tzid, name);
  return name;
}

function resolve(tzid: string): string | null {
  if (tzid === '') return null;
  if (isIanaZone(tzid)) return tzid;
  return trailingIanaName(tzid) ?? windowsZone(tzid) ?? displayNameZone(tzid);
}

/** The longest trailing run of at least two path segments that is an IANA name. */
function trailingIanaName(tzid: string): string | null {
  const parts = tzid.split('/').filter((part) => part !== '');
  for (let first = 0; first + 2 <= parts.length; first += 1) {
    const candidate = parts.slice(first).join('/');
    if (isIanaZone(candidate)) return candidate;
  }
  return null;
}

/** The first zone CLDR lists for a Windows id (its default, territory 001) that the runtime knows. */
function windowsZone(windowsId: string): string | null {
  return findIana(windowsId).find((name) => isIanaZone(name)) ?? null;
}

function displayNameZone(tzid: string): string | null {
  const match = DISPLAY_NAME.exec(tzid);
  if (!match) return null;
  const [, sign, hours, minutes, rest] = match;
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) : 0;
  if (/^Coordinated Universal Time$/i.test(rest.trim())) return 'UTC';
  const described = rest.replace(/\s*\([^)]*\)\s*$/, '').trim();
  const places = rest
    .split(',')
    .map((place) => place.trim())
    .filter((place) => place !== '');
  const candidates = [
    // `Eastern Time (US & Canada)` is shown for `Eastern Standard Time`, `Atlantic Time (Canada)` for `Atlantic Standard Time`.
    ...windowsCandidates(described.replace(/ Time$/, ' Standard Time')),
    ...places.flatMap((place) => [
      ...AREAS.map((area) => `${area}/${place.replace(/ /g, '_')}`).filter((name) => isIanaZone(name)),
      ...windowsCandidates(`${place} Standard Time`),
    ]),
  ];
  return candidates.find((name) => standardOffset(name) === offset) ?? null;
}

function windowsCandidates(windowsId: string): string[] {
  const name = windowsZone(windowsId);
  return name ? [name] : [];
}

/** The smaller of the zone's offsets in January and July this year, in minutes: what a display name states. */
function standardOffset(name: string): number {
  const zone = IANAZone.create(name);
  const year = new Date().getUTCFullYear();
  return Math.min(zone.offset(Date.UTC(year, 0, 1)), zone.offset(Date.UTC(year, 6, 1)));
}
