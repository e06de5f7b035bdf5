import type { calendar_v3 } from '@googleapis/calendar';
import { DateTime } from 'luxon';
import type { EventStatus, EventTransparency, NormalizedEvent, SkippedEvent } from '../provider';
import { APPOINTMENT_PROPERTY } from './google-export.mapper';

/** What one Google event resource becomes. */
export type GoogleEventOutcome =
  | { kind: 'event'; event: NormalizedEvent }
  /** Deleted or cancelled at Google, or declined by the calendar's owner: it must stop blocking. */
  | { kind: 'deleted'; externalId: string }
  | { kind: 'skipped'; skipped: SkippedEvent };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Maps one Google Calendar event resource (an instance, as listed with `singleEvents=true`) to
 * a normalized occurrence. Pure; never throws.
 * - `status: cancelled` (a deleted event or a cancelled instance), or an attendee with
 *   `self: true` and `responseStatus: declined` -> deleted: declined invitations never block.
 * - `transparency: transparent`, and every `eventType: workingLocation` (it says where the
 *   owner works, not that they are busy) -> TRANSPARENT; `focusTime` and `outOfOffice` keep
 *   the transparency Google gives them (opaque by default).
 * - `status: tentative`, or the owner's own `responseStatus: tentative` -> TENTATIVE.
 * - Timed events: `start.dateTime` / `end.dateTime` are RFC 3339 with an offset and become UTC
 *   instants (without an offset they are read in `start.timeZone`, else `timeZone`).
 * - All-day events: `start.date` / `end.date` (end exclusive) are kept as local dates, and their
 *   instants are the local midnights in `timeZone` (the resource's IANA zone), so that the
 *   event blocks the resource's whole local days, DST days included.
 * - `recurrenceId` is `originalStartTime` in basic iCalendar form: UTC `YYYYMMDDTHHMMSSZ`, or
 *   `YYYYMMDD` for all-day series.
 * - `appointmentId` is `extendedProperties.private.calsyncAppointmentId`, the mark a Calsync
 *   export leaves (google-export.mapper.ts), else null.
 * Missing or unreadable start/end, or an end before the start, -> skipped with the reason.
 * @see https://developers.google.com/calendar/api/v3/reference/events#resource
 */
export function mapGoogleEvent(event: calendar_v3.Schema$Event, timeZone: string): GoogleEventOutcome {
  const id = event.id;
  if (!id) return skipped(null, 'Event without an id');
  if (event.status === 'cancelled') return { kind: 'deleted', externalId: id };
  const self = event.attendees?.find((attendee) => attendee.self === true);
  if (self?.responseStatus === 'declined') return { kind: 'deleted', externalId: id };

  if (!event.start || !event.end) return skipped(id, 'Event without a start or an end');
  const allDay = Boolean(event.start.date);
  if (allDay !== Boolean(event.end.date)) return skipped(id, 'Event whose start and end are not both dates or both date-times');
  const start = allDay ? localMidnight(event.start.date, timeZone) : instant(event.start, timeZone);
  const end = allDay ? localMidnight(event.end.date, timeZone) : instant(event.end, event.start.timeZone ?? timeZone);
  if (start === null || end === null) return skipped(id, 'Event with an unreadable start or end');
  if (end < start) return skipped(id, `Event ending (${new Date(end).toISOString()}) before it starts (${new Date(start).toISOString()})`);

  const status: EventStatus = event.status === 'tentative' || self?.responseStatus === 'tentative' ? 'TENTATIVE' : 'CONFIRMED';
  const transparency: EventTransparency = event.transparency === 'transparent' || event.eventType === 'workingLocation' ? 'TRANSPARENT' : 'OPAQUE';
  return {
    kind: 'event',
    event: {
      externalId: id,
      seriesId: event.recurringEventId ?? null,
      recurrenceId: recurrenceIdOf(event.originalStartTime),
      title: event.summary ?? null,
      startsAt: new Date(start),
      endsAt: new Date(end),
      allDay,
      startDate: allDay ? (event.start.date ?? null) : null,
      endDate: allDay ? (event.end.date ?? null) : null,
      status,
      transparency,
      timeZone: event.start.timeZone ?? null,
      appointmentId: event.extendedProperties?.private?.[APPOINTMENT_PROPERTY] ?? null,
    },
  };
}

function skipped(uid: string | null, reason: string): GoogleEventOutcome {
  return { kind: 'skipped', skipped: { uid, reason } };
}

/**
 * An RFC 3339 date-time with its offset (`Z` or `±hh:mm`), which Google always sends: the
 * instant needs no zone, and `Date.parse` reads this form exactly (ECMA-262 date-time string
 * format), many times faster than luxon. Anything else goes through luxon with the zone.
 * @see https://datatracker.ietf.org/doc/html/rfc3339#section-5.6
 */
const WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether the date exists: `Date.parse` rolls 2026-02-30 over to March 2nd where luxon refuses it. */
function isRealDate(year: number, month: number, day: number): boolean {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= MONTH_DAYS[month - 1]! + (month === 2 && leap ? 1 : 0);
}

/** An instant in epoch milliseconds, or null when unreadable. */
function instant(time: calendar_v3.Schema$EventDateTime, fallbackZone: string): number | null {
  if (!time.dateTime) return null;
  const fields = WITH_OFFSET.exec(time.dateTime);
  if (fields) {
    const millis = Date.parse(time.dateTime);
    return Number.isNaN(millis) || !isRealDate(Number(fields[1]), Number(fields[2]), Number(fields[3])) ? null : millis;
  }
  // The zone only applies to a date-time without an offset.
  const parsed = DateTime.fromISO(time.dateTime, { zone: time.timeZone ?? fallbackZone });
  return parsed.isValid ? parsed.toMillis() : null;
}

/** Local midnights already computed, by zone and date: luxon's zone offsets cost ~100 µs each, and a calendar's all-day events share their days. */
const midnights = new Map<string, number | null>();
/** Entries kept before the cache starts again (a few years of days in a few zones). */
const MIDNIGHTS_KEPT = 10_000;

/** The local midnight starting `date` in `timeZone`, epoch milliseconds, or null when unreadable. */
function localMidnight(date: string | null | undefined, timeZone: string): number | null {
  if (!date || !ISO_DATE.test(date)) return null;
  const key = `${timeZone} ${date}`;
  const known = midnights.get(key);
  if (known !== undefined) return known;
  const parsed = DateTime.fromISO(date, { zone: timeZone });
  const midnight = parsed.isValid ? parsed.startOf('day').toMillis() : null;
  if (midnights.size >= MIDNIGHTS_KEPT) midnights.clear();
  midnights.set(key, midnight);
  return midnight;
}

/** `YYYYMMDDTHHMMSSZ` of an instant (whole seconds, as iCalendar writes them). */
function basicUtc(millis: number): string {
  return new Date(millis)
    .toISOString()
    .replace(/\.\d{3}/, '')
    .replace(/[-:]/g, '');
}

function recurrenceIdOf(original: calendar_v3.Schema$EventDateTime | undefined): string | null {
  if (original?.date && ISO_DATE.test(original.date)) return original.date.replaceAll('-', '');
  if (!original?.dateTime) return null;
  const millis = instant(original, 'UTC');
  return millis === null ? null : basicUtc(millis);
}
