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
  if (!start || !end) return skipped(id, 'Event with an unreadable start or end');
  if (end < start) return skipped(id, `Event ending (${end.toISO()}) before it starts (${start.toISO()})`);

  const status: EventStatus = event.status === 'tentative' || self?.responseStatus === 'tentative' ? 'TENTATIVE' : 'CONFIRMED';
  const transparency: EventTransparency = event.transparency === 'transparent' || event.eventType === 'workingLocation' ? 'TRANSPARENT' : 'OPAQUE';
  return {
    kind: 'event',
    event: {
      externalId: id,
      seriesId: event.recurringEventId ?? null,
      recurrenceId: recurrenceIdOf(event.originalStartTime),
      title: event.summary ?? null,
      startsAt: start.toJSDate(),
      endsAt: end.toJSDate(),
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

function instant(time: calendar_v3.Schema$EventDateTime, fallbackZone: string): DateTime | null {
  if (!time.dateTime) return null;
  // The zone only applies to a date-time without an offset; Google always sends one.
  const parsed = DateTime.fromISO(time.dateTime, { zone: time.timeZone ?? fallbackZone });
  return parsed.isValid ? parsed.toUTC() : null;
}

function localMidnight(date: string | null | undefined, timeZone: string): DateTime | null {
  if (!date || !ISO_DATE.test(date)) return null;
  const parsed = DateTime.fromISO(date, { zone: timeZone });
  return parsed.isValid ? parsed.startOf('day') : null;
}

function recurrenceIdOf(original: calendar_v3.Schema$EventDateTime | undefined): string | null {
  if (original?.date && ISO_DATE.test(original.date)) return original.date.replaceAll('-', '');
  if (!original?.dateTime) return null;
  const parsed = DateTime.fromISO(original.dateTime, { zone: original.timeZone ?? 'UTC' });
  return parsed.isValid ? parsed.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'") : null;
}
