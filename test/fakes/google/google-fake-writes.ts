/**
 * Pure rules of the Google fake's event writes (events.insert / update), kept apart from the
 * HTTP plumbing of google-fake.ts. They follow the public reference:
 * https://developers.google.com/calendar/api/v3/reference/events#resource
 * https://developers.google.com/calendar/api/v3/reference/events/insert
 * https://developers.google.com/calendar/api/v3/reference/events/update
 */
import type { calendar_v3 } from '@googleapis/calendar';
import { randomBytes } from 'node:crypto';
import { IANAZone } from 'luxon';

/** A refusal in Google's terms: HTTP status, `errors[].reason`, message. */
export interface WriteRefusal {
  status: number;
  reason: string;
  message: string;
}

/** Client-chosen event ids: base32hex digits (lowercase a-v and 0-9, RFC 4648 section 7), 5 to 1024 of them. */
export function isValidEventId(id: string): boolean {
  return /^[0-9a-v]{5,1024}$/.test(id);
}

/** An id as Google generates one: 26 base32hex digits. */
export function generatedEventId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  return [...randomBytes(26)].map((byte) => alphabet[byte % 32]).join('');
}

/** Scopes that allow writing events (https://developers.google.com/calendar/api/auth). */
const WRITE_SCOPES = ['https://www.googleapis.com/auth/calendar', 'https://www.googleapis.com/auth/calendar.events'];

/** Whether a grant's space-separated scope allows event writes. */
export function scopeAllowsWrites(scope: string): boolean {
  return scope.split(' ').some((granted) => WRITE_SCOPES.includes(granted));
}

/** `sendUpdates` takes these values only; absent means `none` for new clients. */
export function isValidSendUpdates(value: string | null): boolean {
  return value === null || ['all', 'externalOnly', 'none'].includes(value);
}

/**
 * What Google refuses in a written event body, or null: start and end required, each a
 * `date` or a `dateTime` (RFC 3339; without an offset it needs a `timeZone`), a `timeZone` must
 * be an IANA zone, the end must not be before the start. Recurring events are not written by
 * Calsync and the fake does not expand them: a `recurrence` is refused (a simplification).
 */
export function refusalOf(body: calendar_v3.Schema$Event): WriteRefusal | null {
  for (const [name, time] of [
    ['start', body.start],
    ['end', body.end],
  ] as const) {
    if (!time || (!time.date && !time.dateTime)) return { status: 400, reason: 'required', message: `Missing ${name} time.` };
    if (time.timeZone && !IANAZone.isValidZone(time.timeZone))
      return { status: 400, reason: 'invalid', message: `Invalid time zone definition for ${name} time.` };
    if (time.dateTime && !/(Z|[+-]\d{2}:\d{2})$/i.test(time.dateTime) && !time.timeZone) {
      return { status: 400, reason: 'required', message: `Missing time zone definition for ${name} time.` };
    }
  }
  const start = Date.parse(body.start?.dateTime ?? body.start?.date ?? '');
  const end = Date.parse(body.end?.dateTime ?? body.end?.date ?? '');
  if (Number.isNaN(start) || Number.isNaN(end)) return { status: 400, reason: 'invalid', message: 'Invalid start or end time.' };
  if (end < start) return { status: 400, reason: 'timeRangeEmpty', message: 'The specified time range is empty.' };
  if (body.recurrence?.length) return { status: 400, reason: 'invalid', message: 'The Google fake does not write recurring events.' };
  return null;
}

/** Fields Google sets itself (the sequence is handled by {@link nextSequence}). */
const READ_ONLY = new Set(['kind', 'etag', 'created', 'updated', 'creator', 'organizer', 'htmlLink', 'recurringEventId', 'originalStartTime', 'sequence']);

/**
 * The fields of a written body that the client controls: read-only ones (kind, etag, created,
 * updated, creator, organizer, htmlLink, iCalUID of an update, series links) are dropped, as
 * Google ignores them; attendees get `responseStatus: needsAction` unless given, and `self`
 * when they are the calendar's owner.
 */
export function writableFields(body: calendar_v3.Schema$Event, calendarId: string): calendar_v3.Schema$Event {
  const writable = Object.fromEntries(Object.entries(body).filter(([name]) => !READ_ONLY.has(name))) as calendar_v3.Schema$Event;
  const attendees = writable.attendees?.map((attendee) => ({
    responseStatus: 'needsAction',
    ...attendee,
    ...(attendee.email?.toLowerCase() === calendarId.toLowerCase() ? { self: true } : {}),
  }));
  return { ...writable, ...(attendees ? { attendees } : {}) };
}

/** Google refuses a sequence below the stored one; it increments the sequence itself when none is sent. */
export function nextSequence(stored: number, sent: number | null | undefined): number | WriteRefusal {
  if (sent === null || sent === undefined) return stored + 1;
  if (sent < stored) {
    return {
      status: 400,
      reason: 'invalid',
      message: 'Invalid sequence value. The specified sequence number is below the current sequence number of the resource.',
    };
  }
  return sent;
}
