/**
 * How the Graph fake reads the body of an event create or update and how it renders an event's
 * body for a request's `Prefer` header; used by graph-fake.ts, pure.
 * - The body is an `event` resource: a property Graph's `event` type does not have is refused
 *   with 400 `RequestBodyRead`, as Graph does; of the known ones the fake keeps subject, body,
 *   location (displayName), attendees, start, end, isAllDay, showAs, transactionId and
 *   singleValueExtendedProperties, and ignores the others.
 * - start/end are `dateTimeTimeZone`: a wall-clock time read in `timeZone`, which may be `UTC`
 *   or an IANA name (Graph also takes Windows names; the fake refuses them with 400
 *   `TimeZoneNotSupportedException`, as Graph does for a zone it does not know).
 * - Extended property ids must have the form `{type} {guid} Name {name}` or
 *   `{type} {guid} Id {0xhex}`, else 400 `ErrorInvalidProperty`.
 * - Bodies are answered in HTML unless `Prefer: outlook.body-content-type="text"` asks for text
 *   (the conversions here are plain: escaped text in a minimal HTML page, tags stripped).
 * @see https://learn.microsoft.com/graph/api/calendar-post-events
 * @see https://learn.microsoft.com/graph/api/event-update
 * @see https://learn.microsoft.com/graph/api/resources/event
 * @see https://learn.microsoft.com/graph/api/resources/datetimetimezone
 * @see https://learn.microsoft.com/graph/api/resources/extended-properties-overview
 * @see https://learn.microsoft.com/graph/api/event-get (Prefer: outlook.body-content-type)
 */
import { DateTime } from 'luxon';

/** An attendee as stored: the fields of Graph's `attendee` that the fake keeps. */
export interface FakeAttendee {
  address: string;
  name: string | null;
  type: 'required' | 'optional' | 'resource';
}

/** A single-value extended property as Graph takes and returns it. */
export interface FakeExtendedProperty {
  id: string;
  value: string;
}

/** The fields of an event that a create or update sets; times are ISO instants, or dates when all-day. */
export interface EventWriteFields {
  subject?: string | null;
  body?: { contentType: 'text' | 'html'; content: string };
  location?: string;
  attendees?: FakeAttendee[];
  start?: string;
  end?: string;
  isAllDay?: boolean;
  showAs?: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';
  /** The zone the event was written in, kept as `originalStartTimeZone`. */
  originalStartTimeZone?: string;
  transactionId?: string;
  singleValueExtendedProperties?: FakeExtendedProperty[];
}

/** A body Graph would refuse; graph-fake.ts answers it as a 400 Graph error with this code. */
export class InvalidEventBody extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Writable properties of Graph v1.0 `event` that the fake accepts and ignores. */
const IGNORED_PROPERTIES = new Set([
  'allowNewTimeProposals',
  'categories',
  'hideAttendees',
  'importance',
  'isOnlineMeeting',
  'isReminderOn',
  'locations',
  'multiValueExtendedProperties',
  'onlineMeetingProvider',
  'originalEndTimeZone',
  'originalStartTimeZone',
  'recurrence',
  'reminderMinutesBeforeStart',
  'responseRequested',
  'sensitivity',
  '@odata.type',
]);
const KEPT_PROPERTIES = new Set([
  'subject',
  'body',
  'location',
  'attendees',
  'start',
  'end',
  'isAllDay',
  'showAs',
  'transactionId',
  'singleValueExtendedProperties',
]);
const SHOW_AS = new Set(['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown']);
const ATTENDEE_TYPES = new Set(['required', 'optional', 'resource']);
const EXTENDED_PROPERTY_ID = /^\w+ \{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\} (Name \S+|Id 0x[0-9a-f]+)$/i;

/**
 * Reads the JSON body of `POST .../events` or `PATCH .../events/{id}` into the fields it sets.
 * @throws InvalidEventBody for what Graph refuses with 400.
 */
export function readEventWrite(body: Record<string, unknown>): EventWriteFields {
  for (const key of Object.keys(body)) {
    if (!KEPT_PROPERTIES.has(key) && !IGNORED_PROPERTIES.has(key)) {
      throw new InvalidEventBody(
        'RequestBodyRead',
        `The property '${key}' does not exist on type 'microsoft.graph.event'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      );
    }
  }
  const fields: EventWriteFields = {};
  if ('subject' in body) fields.subject = body.subject === null ? null : String(body.subject);
  if ('body' in body) fields.body = readItemBody(body.body);
  if ('location' in body) fields.location = String((body.location as { displayName?: unknown } | null)?.displayName ?? '');
  if ('attendees' in body) fields.attendees = readAttendees(body.attendees);
  if ('isAllDay' in body) fields.isAllDay = body.isAllDay === true;
  if ('showAs' in body) {
    if (!SHOW_AS.has(String(body.showAs))) throw new InvalidEventBody('RequestBodyRead', `Requested value '${String(body.showAs)}' was not found.`);
    fields.showAs = body.showAs as EventWriteFields['showAs'];
  }
  if ('transactionId' in body && body.transactionId !== null) fields.transactionId = String(body.transactionId);
  if ('singleValueExtendedProperties' in body) fields.singleValueExtendedProperties = readExtendedProperties(body.singleValueExtendedProperties);
  for (const side of ['start', 'end'] as const) {
    if (!(side in body)) continue;
    const { instant, timeZone } = readDateTime(body[side], body.isAllDay === true, side);
    fields[side] = instant;
    if (side === 'start') fields.originalStartTimeZone = timeZone;
  }
  return fields;
}

/**
 * An event's `body` as a request wants it: HTML unless `Prefer` says
 * `outlook.body-content-type="text"` (Graph's default for events is HTML).
 */
export function bodyAsPreferred(body: { contentType: 'text' | 'html'; content: string }, prefer: string): { contentType: 'text' | 'html'; content: string } {
  const wanted = /outlook\.body-content-type="?text"?/i.test(prefer) ? 'text' : 'html';
  if (wanted === body.contentType) return body;
  if (wanted === 'text')
    return {
      contentType: 'text',
      content: body.content
        .replace(/<br\s*\/?>/gi, '\n')
        .replace(/<[^>]*>/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&')
        .trim(),
    };
  const escaped = body.content.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>');
  return {
    contentType: 'html',
    content: `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>\r\n${escaped}\r\n</body>\r\n</html>\r\n`,
  };
}

function readItemBody(value: unknown): { contentType: 'text' | 'html'; content: string } {
  const body = value as { contentType?: unknown; content?: unknown } | null;
  const contentType = String(body?.contentType ?? 'text').toLowerCase();
  if (contentType !== 'text' && contentType !== 'html') throw new InvalidEventBody('RequestBodyRead', `Requested value '${contentType}' was not found.`);
  return { contentType, content: String(body?.content ?? '') };
}

function readAttendees(value: unknown): FakeAttendee[] {
  if (!Array.isArray(value))
    throw new InvalidEventBody(
      'RequestBodyRead',
      "A node of type 'StartObject' was read from the JSON reader when trying to read the contents of the property 'attendees'; however, a 'StartArray' node was expected.",
    );
  return value.map((item: { emailAddress?: { address?: unknown; name?: unknown }; type?: unknown }) => {
    const address = item?.emailAddress?.address;
    if (typeof address !== 'string' || !address.includes('@')) throw new InvalidEventBody('ErrorInvalidRecipients', 'At least one recipient is not valid.');
    const type = String(item.type ?? 'required');
    if (!ATTENDEE_TYPES.has(type)) throw new InvalidEventBody('RequestBodyRead', `Requested value '${type}' was not found.`);
    const name = typeof item.emailAddress?.name === 'string' ? item.emailAddress.name : null;
    return { address, name, type: type as FakeAttendee['type'] };
  });
}

function readExtendedProperties(value: unknown): FakeExtendedProperty[] {
  if (!Array.isArray(value)) throw new InvalidEventBody('RequestBodyRead', "The property 'singleValueExtendedProperties' must be an array.");
  return value.map((item: { id?: unknown; value?: unknown }) => {
    const id = String(item?.id ?? '');
    if (!EXTENDED_PROPERTY_ID.test(id)) throw new InvalidEventBody('ErrorInvalidProperty', `The extended property id '${id}' is not valid.`);
    return { id, value: String(item.value ?? '') };
  });
}

/** A `dateTimeTimeZone` as an ISO instant (or the date of an all-day event), and its zone. */
function readDateTime(value: unknown, allDay: boolean, side: string): { instant: string; timeZone: string } {
  const { dateTime, timeZone } = (value ?? {}) as { dateTime?: unknown; timeZone?: unknown };
  if (typeof dateTime !== 'string' || typeof timeZone !== 'string') {
    throw new InvalidEventBody('ErrorInvalidRequest', `The ${side} of the event needs dateTime and timeZone.`);
  }
  const zone = timeZone === 'UTC' ? 'utc' : timeZone;
  const parsed = DateTime.fromISO(dateTime, { zone });
  if (!DateTime.local().setZone(zone).isValid)
    throw new InvalidEventBody(
      'TimeZoneNotSupportedException',
      `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${timeZone}'.`,
    );
  if (!parsed.isValid) throw new InvalidEventBody('ErrorInvalidRequest', `Cannot convert the literal '${dateTime}' to the expected type 'Edm.DateTime'.`);
  if (!allDay) return { instant: parsed.toUTC().toISO()!, timeZone };
  if (parsed.hour !== 0 || parsed.minute !== 0 || parsed.second !== 0) {
    throw new InvalidEventBody('ErrorInvalidRequest', 'All-day events must start and end at midnight.');
  }
  return { instant: dateTime.slice(0, 10), timeZone };
}
