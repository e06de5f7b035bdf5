import { DateTime } from 'luxon';
import type { ExportEvent } from '../provider';
import type { GraphDateTimeTimeZone, GraphEvent } from './graph-event.mapper';

/**
 * Prefix of the `transactionId` of every event Calsync exports: `calsync-<exportId>`. It is the
 * mark a later sync recognises the export by (mapGraphEvent reads the appointment id back from
 * it: delta returns it without an `$expand`). Graph documents it only as avoiding redundant
 * POSTs "in case of client retries to create the same event", so exactly-once rests on the
 * lookup of {@link EXPORT_PROPERTY_ID} instead.
 * @see https://learn.microsoft.com/graph/api/resources/event
 */
export const TRANSACTION_PREFIX = 'calsync-';

/**
 * The single-value extended property carrying the appointment id: a string property named in a
 * property set (GUID) of Calsync's own, so that it clashes with no other application's.
 * Extended properties are never shown in Outlook; it is written for tools that look an exported
 * event up by appointment (`$filter=singleValueExtendedProperties/any(ep: ep/id eq '...' and
 * ep/value eq '<appointmentId>')`); Calsync itself reads the transactionId, which delta returns
 * without an `$expand`.
 * @see https://learn.microsoft.com/graph/api/resources/extended-properties-overview
 */
export const APPOINTMENT_PROPERTY_ID = 'String {2c237136-7e26-4a76-b7a1-d9d235d3de8d} Name calsyncAppointmentId';

/**
 * The single-value extended property carrying the exportId (`<appointmentId>-<generation>`), in
 * the same property set: what a create looks up before it POSTs, so that a retry finds the event
 * an earlier attempt created (`$filter=singleValueExtendedProperties/Any(...)`).
 * @see https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get
 */
export const EXPORT_PROPERTY_ID = 'String {2c237136-7e26-4a76-b7a1-d9d235d3de8d} Name calsyncExportId';

/** Length of the appointment UUID at the head of an exportId (`<uuid>-<generation>`). */
const UUID_LENGTH = 36;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The event fields Calsync writes, as sent in a create (POST) or an update (PATCH). */
export interface GraphEventWrite {
  subject: string;
  body: { contentType: 'text'; content: string };
  location: { displayName: string };
  start: GraphDateTimeTimeZone;
  end: GraphDateTimeTimeZone;
  attendees: Array<{ emailAddress: { address: string; name?: string }; type: 'required' }>;
  showAs: 'busy' | 'tentative';
}

/** A create additionally carries the idempotency key and the appointment mark, both immutable. */
export interface GraphEventCreate extends GraphEventWrite {
  transactionId: string;
  singleValueExtendedProperties: Array<{ id: string; value: string }>;
}

/** The written fields of a Graph event as Graph answers them (a subset of the `event` resource). */
export interface GraphWrittenEvent extends GraphEvent {
  body?: { contentType?: string; content?: string } | null;
  location?: { displayName?: string | null } | null;
  attendees?: Array<{ emailAddress?: { address?: string | null; name?: string | null } | null }> | null;
}

/** `transactionId` of an export: `calsync-<exportId>` (at most 56 characters). */
export function transactionIdOf(exportId: string): string {
  return `${TRANSACTION_PREFIX}${exportId}`;
}

/**
 * The appointment id (a UUID) of an event Calsync exported, from its `transactionId`
 * `calsync-<appointmentId>-<generation>`; null for any other transactionId or none.
 */
export function appointmentIdOfTransaction(transactionId: string | null | undefined): string | null {
  if (!transactionId?.startsWith(TRANSACTION_PREFIX)) return null;
  const candidate = transactionId.slice(TRANSACTION_PREFIX.length, TRANSACTION_PREFIX.length + UUID_LENGTH);
  return UUID.test(candidate) ? candidate.toLowerCase() : null;
}

/**
 * The writable fields of an export, for a PATCH (Graph changes only the properties sent, so every
 * one is sent: an empty body and location clear what a non-private export had written).
 * - start/end in UTC, `YYYY-MM-DDTHH:mm:ss.fffffff` with `timeZone: 'UTC'`: exact instants,
 *   whatever zone the mailbox uses; Outlook displays them in the viewer's zone, so the
 *   export's `timeZone` is not sent;
 * - `showAs`: busy, or tentative for a TENTATIVE appointment (read back as TENTATIVE);
 * - attendees as `required`, named when the appointment knows the name, only when they may be
 *   invited (ExportEvent.inviteAttendees): unlike Google (`sendUpdates=none`), Graph has no way
 *   to keep them uninvited ("when an event is sent, the server sends invitations to all the
 *   attendees", calendar-post-events) and mails an update on every PATCH. Otherwise the body
 *   lists them after the description.
 * @see https://learn.microsoft.com/graph/api/event-update
 * @see https://learn.microsoft.com/graph/api/resources/event
 */
export function toGraphEventWrite(event: ExportEvent): GraphEventWrite {
  return {
    subject: event.title,
    body: { contentType: 'text', content: bodyText(event) },
    location: { displayName: event.location ?? '' },
    start: { dateTime: graphUtcDateTime(event.startsAt), timeZone: 'UTC' },
    end: { dateTime: graphUtcDateTime(event.endsAt), timeZone: 'UTC' },
    attendees: attendeesOf(event).map((attendee) => ({
      emailAddress: { address: attendee.email, ...(attendee.name ? { name: attendee.name } : {}) },
      type: 'required',
    })),
    showAs: event.status === 'TENTATIVE' ? 'tentative' : 'busy',
  };
}

/**
 * The body of `POST /me/calendars/{id}/events`: the writable fields plus `transactionId`
 * (`calsync-<exportId>`, documented only as avoiding redundant POSTs of identical retries) and the
 * appointment and export ids as extended properties ({@link APPOINTMENT_PROPERTY_ID},
 * {@link EXPORT_PROPERTY_ID}).
 * @see https://learn.microsoft.com/graph/api/calendar-post-events
 */
export function toGraphEventCreate(event: ExportEvent): GraphEventCreate {
  return {
    ...toGraphEventWrite(event),
    transactionId: transactionIdOf(event.exportId),
    singleValueExtendedProperties: [
      { id: APPOINTMENT_PROPERTY_ID, value: event.appointmentId },
      { id: EXPORT_PROPERTY_ID, value: event.exportId },
    ],
  };
}

/**
 * Whether an event as Graph answered it (read with `outlook.timezone="UTC"` and
 * `outlook.body-content-type="text"`) differs from the export in any field Calsync writes. A POST
 * that Graph answered with the event of an earlier attempt (same transactionId) carries that
 * attempt's content, which may be older. Unsure means different: an HTML body, a zone luxon does
 * not know, or line endings Exchange rewrote cost one needless PATCH, never a stale event.
 */
export function differsFromExport(actual: GraphWrittenEvent, event: ExportEvent): boolean {
  const wanted = toGraphEventWrite(event);
  if ((actual.subject ?? '') !== wanted.subject) return true;
  if (actual.showAs !== wanted.showAs) return true;
  if (actual.body?.contentType !== 'text' || normalizeText(actual.body.content) !== normalizeText(wanted.body.content)) return true;
  if ((actual.location?.displayName ?? '') !== wanted.location.displayName) return true;
  if (!sameInstant(actual.start, event.startsAt) || !sameInstant(actual.end, event.endsAt)) return true;
  return !sameAttendees(actual.attendees ?? [], event);
}

/**
 * The body of an export: its description, followed, when the attendees are not invited, by who
 * they are (Outlook shows the body; Graph would mail anyone in `attendees`).
 */
function bodyText(event: ExportEvent): string {
  const description = event.description ?? '';
  if (event.inviteAttendees || event.attendees.length === 0) return description;
  const names = event.attendees.map((attendee) => (attendee.name ? `${attendee.name} <${attendee.email}>` : attendee.email));
  return `${description ? `${description}\n\n` : ''}Attendees: ${names.join(', ')}`;
}

/** Graph writes 7 fractional digits and no offset: `2024-01-01T10:00:00.0000000`. */
function graphUtcDateTime(instant: Date): string {
  return instant.toISOString().replace(/Z$/, '0000');
}

/** The attendees Graph is given: none unless they may be invited (see ExportEvent.inviteAttendees). */
function attendeesOf(event: ExportEvent): ExportEvent['attendees'] {
  return event.inviteAttendees ? event.attendees : [];
}

function sameInstant(actual: GraphDateTimeTimeZone | null | undefined, wanted: Date): boolean {
  if (!actual?.dateTime || !actual.timeZone) return false;
  const parsed = DateTime.fromISO(actual.dateTime, { zone: actual.timeZone });
  return parsed.isValid && parsed.toMillis() === wanted.getTime();
}

/** Exchange may store a text body with CRLF line endings and a trailing line break. */
function normalizeText(text: string | null | undefined): string {
  return (text ?? '').replace(/\r\n/g, '\n').trimEnd();
}

/**
 * Same addresses (case-insensitive, as mail addresses are compared), and the same name wherever
 * the export names the attendee (Graph fills in a missing name itself, e.g. with the address).
 */
function sameAttendees(actual: NonNullable<GraphWrittenEvent['attendees']>, event: ExportEvent): boolean {
  const wanted = attendeesOf(event);
  if (actual.length !== wanted.length) return false;
  const names = new Map(actual.map((attendee) => [attendee.emailAddress?.address?.toLowerCase() ?? '', attendee.emailAddress?.name ?? null]));
  return wanted.every((attendee) => {
    const key = attendee.email.toLowerCase();
    return names.has(key) && (attendee.name === null || names.get(key) === attendee.name);
  });
}
