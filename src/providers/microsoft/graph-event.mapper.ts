import { DateTime } from 'luxon';
import type { EventStatus, EventTransparency, NormalizedEvent } from '../provider';
import { appointmentIdOfTransaction } from './graph-export.mapper';

/** `dateTimeTimeZone` of Graph: a wall-clock time without offset and the zone it is in. */
export interface GraphDateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

/**
 * The fields of a Graph `event` resource Calsync reads (delta answers carry most others too).
 * @see https://learn.microsoft.com/graph/api/resources/event
 */
export interface GraphEvent {
  id: string;
  subject?: string | null;
  start?: GraphDateTimeTimeZone | null;
  end?: GraphDateTimeTimeZone | null;
  isAllDay?: boolean;
  isCancelled?: boolean;
  showAs?: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown' | null;
  type?: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster' | null;
  seriesMasterId?: string | null;
  /** DateTimeOffset (ISO 8601 with offset) of the occurrence's slot in its series. */
  originalStart?: string | null;
  originalStartTimeZone?: string | null;
  responseStatus?: { response?: string | null } | null;
  changeKey?: string | null;
  lastModifiedDateTime?: string | null;
  /** Set by the app that created the event; Calsync's exports carry `calsync-<exportId>`. */
  transactionId?: string | null;
}

/** What one Graph event becomes: an occurrence, a deletion, or a reason to skip it. */
export type GraphEventMapping =
  | { kind: 'event'; event: NormalizedEvent }
  /** Cancelled, or declined by the owner: it must stop blocking time. */
  | { kind: 'deleted' }
  | { kind: 'skipped'; reason: string };

/**
 * Maps a Graph event (as returned by calendarView or its delta with
 * `Prefer: outlook.timezone="UTC"`) to a normalized occurrence. Pure; never throws.
 * - `isCancelled` or `responseStatus.response === 'declined'` -> deleted: neither blocks time.
 * - `showAs` free / workingElsewhere -> TRANSPARENT; tentative -> TENTATIVE (and OPAQUE, so that
 *   SyncConfig decides); busy, oof, unknown -> CONFIRMED and OPAQUE.
 * - Timed: `start.dateTime` (no offset, up to 7 fractional digits) is read in `start.timeZone`
 *   and returned as a UTC instant.
 * - All-day: the date parts of start/end are the local dates (end exclusive); the instants are
 *   the local midnights of those dates in `timeZone` (the resource's zone).
 * - Occurrences and exceptions of a series get `seriesId` = seriesMasterId and `recurrenceId`
 *   from `originalStart` (`YYYYMMDDTHHMMSSZ`, or `YYYYMMDD` for all-day).
 * - `appointmentId`: the appointment UUID of an event Calsync exported (`transactionId`
 *   `calsync-<appointmentId>-<generation>`); the key is left out for any other event.
 * A missing start/end, an unknown zone or an end before the start gives `skipped`.
 * @param timeZone IANA zone of the resource, for all-day events.
 * @see https://learn.microsoft.com/graph/api/resources/event
 * @see https://learn.microsoft.com/graph/api/resources/datetimetimezone
 */
export function mapGraphEvent(event: GraphEvent, timeZone: string): GraphEventMapping {
  if (event.isCancelled === true) return { kind: 'deleted' };
  if (event.responseStatus?.response === 'declined') return { kind: 'deleted' };
  if (!event.start?.dateTime || !event.end?.dateTime) {
    return { kind: 'skipped', reason: `Event ${event.id} has no ${event.start?.dateTime ? 'end' : 'start'}` };
  }
  const allDay = event.isAllDay === true;
  const times = allDay ? allDayTimes(event.start, event.end, timeZone) : timedTimes(event.start, event.end);
  if (typeof times === 'string') return { kind: 'skipped', reason: `Event ${event.id}: ${times}` };
  if (times.endsAt.getTime() < times.startsAt.getTime()) {
    return { kind: 'skipped', reason: `Event ${event.id} ends before it starts` };
  }
  const inSeries = event.type === 'occurrence' || event.type === 'exception';
  return {
    kind: 'event',
    event: {
      externalId: event.id,
      seriesId: event.seriesMasterId ?? null,
      recurrenceId: inSeries && event.originalStart ? recurrenceIdOf(event.originalStart, allDay, event.originalStartTimeZone) : null,
      title: event.subject ?? null,
      ...times,
      allDay,
      status: statusOf(event),
      transparency: transparencyOf(event),
      timeZone: event.originalStartTimeZone ?? null,
      // Left out rather than null for other events: the port allows both, and an absent key
      // keeps the normalized shape of ordinary events as it was.
      ...appointmentIdOf(event),
    },
  };
}

function appointmentIdOf(event: GraphEvent): Pick<NormalizedEvent, 'appointmentId'> {
  const appointmentId = appointmentIdOfTransaction(event.transactionId);
  return appointmentId === null ? {} : { appointmentId };
}

type Times = Pick<NormalizedEvent, 'startsAt' | 'endsAt' | 'startDate' | 'endDate'>;

function timedTimes(start: GraphDateTimeTimeZone, end: GraphDateTimeTimeZone): Times | string {
  // Without a zone luxon would read the wall-clock time in the server's own zone.
  if (!start.timeZone || !end.timeZone) return 'start or end has no time zone';
  const startsAt = DateTime.fromISO(start.dateTime, { zone: start.timeZone });
  const endsAt = DateTime.fromISO(end.dateTime, { zone: end.timeZone });
  // Graph names zones the way Windows does unless asked for one; an unreadable one is skipped
  // rather than guessed, since a wrong guess would block the wrong hours.
  if (!startsAt.isValid) return `unreadable start ${start.dateTime} (${start.timeZone})`;
  if (!endsAt.isValid) return `unreadable end ${end.dateTime} (${end.timeZone})`;
  return { startsAt: startsAt.toJSDate(), endsAt: endsAt.toJSDate(), startDate: null, endDate: null };
}

function allDayTimes(start: GraphDateTimeTimeZone, end: GraphDateTimeTimeZone, timeZone: string): Times | string {
  const startDate = start.dateTime.slice(0, 10);
  const endDate = end.dateTime.slice(0, 10);
  const startsAt = DateTime.fromISO(startDate, { zone: timeZone });
  const endsAt = DateTime.fromISO(endDate, { zone: timeZone });
  if (!startsAt.isValid || !endsAt.isValid) return `unreadable all-day dates ${start.dateTime} - ${end.dateTime} in ${timeZone}`;
  return { startsAt: startsAt.toJSDate(), endsAt: endsAt.toJSDate(), startDate, endDate };
}

function statusOf(event: GraphEvent): EventStatus {
  return event.showAs === 'tentative' ? 'TENTATIVE' : 'CONFIRMED';
}

function transparencyOf(event: GraphEvent): EventTransparency {
  return event.showAs === 'free' || event.showAs === 'workingElsewhere' ? 'TRANSPARENT' : 'OPAQUE';
}

/**
 * `originalStart` is an instant. For all-day series it is the local midnight of the series'
 * zone, so the date is read in that zone when luxon knows it (IANA), otherwise from the UTC
 * midnight nearest to it (right for every offset within +-12 h).
 */
function recurrenceIdOf(originalStart: string, allDay: boolean, seriesZone: string | null | undefined): string | null {
  const instant = DateTime.fromISO(originalStart, { zone: 'utc' });
  if (!instant.isValid) return null;
  if (!allDay) return instant.toFormat("yyyyMMdd'T'HHmmss'Z'");
  const local = seriesZone ? instant.setZone(seriesZone) : null;
  if (local?.isValid) return local.toFormat('yyyyMMdd');
  return instant.plus({ hours: 12 }).startOf('day').toFormat('yyyyMMdd');
}
