/**
 * The iCalendar text of an exported appointment, as written to CalDAV servers.
 */
import type { ExportAttendee, ExportEvent } from '../provider';
import ICAL, { type IcalComponent, type IcalTime } from './ical-module';

/** PRODID of every calendar object Calsync writes (RFC 5545 section 3.7.3). */
export const CALSYNC_PRODID = '-//Calsync//Calsync//EN';

/** The non-standard property carrying the appointment id (an x-name, RFC 5545 section 3.8.8.2). */
export const APPOINTMENT_PROPERTY = 'X-CALSYNC-APPOINTMENT';

/** The UID of an export (RFC 5545 section 3.8.4.7): stable across retries of one export. */
export function exportUid(exportId: string): string {
  return `${exportId}@calsync`;
}

/**
 * Serializes one appointment as a VCALENDAR holding a single VEVENT, ready to be stored as a
 * CalDAV calendar object resource (RFC 4791 section 4.1: one UID per resource, no METHOD).
 *
 * - UID `<exportId>@calsync`; DTSTAMP is `now`; DTSTART/DTEND are UTC date-times
 *   (`YYYYMMDDTHHMMSSZ`, milliseconds dropped). UTC needs no VTIMEZONE and is unambiguous;
 *   clients show it in their own zone, so `event.timeZone` is not written.
 * - SUMMARY always; DESCRIPTION and LOCATION only when not null; STATUS, TRANSP:OPAQUE (an
 *   appointment takes the time), SEQUENCE (section 3.8.7.4), and X-CALSYNC-APPOINTMENT.
 * - One ATTENDEE per person: `mailto:` URI, CN when named, PARTSTAT=NEEDS-ACTION, RSVP=FALSE and
 *   SCHEDULE-AGENT=NONE (RFC 6638 section 7.1), which asks scheduling servers such as iCloud
 *   not to send invitations on Calsync's behalf.
 * - Text is escaped (section 3.3.11), parameter values quoted or caret-encoded (RFC 6868) and
 *   lines folded at 75 octets (section 3.1) by ical.js; lines end in CRLF. Control characters,
 *   which no value may hold, are dropped; CR and CRLF in text become its line break, LF; in the
 *   attendee's name and address, which hold no line break, a space (none in the address).
 * @param now the DTSTAMP, the current time unless given.
 * @returns the text of the calendar object, UTF-8 safe, ending in CRLF.
 */
export function exportEventToIcs(event: ExportEvent, now: Date = new Date()): string {
  const calendar = new ICAL.Component(['vcalendar', [], []]);
  calendar.addPropertyWithValue('prodid', CALSYNC_PRODID);
  calendar.addPropertyWithValue('version', '2.0');
  const vevent = new ICAL.Component('vevent');
  vevent.addPropertyWithValue('uid', exportUid(event.exportId));
  vevent.addPropertyWithValue('dtstamp', utc(now));
  vevent.addPropertyWithValue('dtstart', utc(event.startsAt));
  vevent.addPropertyWithValue('dtend', utc(event.endsAt));
  vevent.addPropertyWithValue('summary', text(event.title));
  if (event.description !== null) vevent.addPropertyWithValue('description', text(event.description));
  if (event.location !== null) vevent.addPropertyWithValue('location', text(event.location));
  for (const attendee of event.attendees) addAttendee(vevent, attendee);
  vevent.addPropertyWithValue('status', event.status);
  vevent.addPropertyWithValue('transp', 'OPAQUE');
  vevent.addPropertyWithValue('sequence', event.sequence);
  // An x-name's value is written as it is, unescaped: only a line break could harm it.
  vevent.addPropertyWithValue(APPOINTMENT_PROPERTY.toLowerCase(), singleLine(event.appointmentId));
  calendar.addSubcomponent(vevent);
  // ical.js leaves the last line without its CRLF, which section 3.1 requires of every line.
  return `${calendar.toString()}\r\n`;
}

function addAttendee(vevent: IcalComponent, attendee: ExportAttendee): void {
  // CAL-ADDRESS values and parameter values are not escaped (sections 3.1, 3.3.3): a line
  // break in them would end the line, so they are kept to one line.
  const property = vevent.addPropertyWithValue('attendee', `mailto:${singleLine(attendee.email).replace(/\s/g, '')}`);
  const name = attendee.name === null ? '' : singleLine(attendee.name).trim();
  if (name !== '') property.setParameter('cn', name);
  property.setParameter('partstat', 'NEEDS-ACTION');
  property.setParameter('rsvp', 'FALSE');
  property.setParameter('schedule-agent', 'NONE');
}

/**
 * TEXT (section 3.3.11) has one line break, LF, which ical.js escapes as `\n`; it writes CR and
 * other control characters raw, which would break the line. CRLF and CR become LF, the rest go.
 */
function text(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

/** One line: line breaks become spaces, other control characters go. */
function singleLine(value: string): string {
  return text(value).replace(/\n/g, ' ').replace(/\t/g, ' ');
}

function utc(date: Date): IcalTime {
  return ICAL.Time.fromJSDate(date, true);
}
