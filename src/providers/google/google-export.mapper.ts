import type { calendar_v3 } from '@googleapis/calendar';
import { ProviderError, type ExportEvent } from '../provider';

/** Google's rule for client-chosen event ids: base32hex digits (RFC 4648 section 7), 5 to 1024 of them. */
const GOOGLE_EVENT_ID = /^[0-9a-v]{5,1024}$/;

/** The private extended properties an exported event carries (never shown to people). */
export const APPOINTMENT_PROPERTY = 'calsyncAppointmentId';
export const EXPORT_PROPERTY = 'calsyncExportId';

/**
 * The deterministic Google event id of an export: `cs` + the exportId without its dashes, e.g.
 * `cs3f2a...01` for `3f2a...-01`. Hex digits and `c`/`s` are all base32hex, so the id is valid
 * as it is; the same exportId always names the same event, which makes events.insert idempotent.
 * @throws ProviderError UNKNOWN when the exportId breaks its contract (`[0-9a-f-]`), before any request.
 * @see https://developers.google.com/calendar/api/v3/reference/events#id
 */
export function googleEventIdOf(exportId: string): string {
  const id = `cs${exportId.replaceAll('-', '').toLowerCase()}`;
  if (!GOOGLE_EVENT_ID.test(id)) throw new ProviderError('UNKNOWN', `Export id ${exportId} does not make a valid Google event id`);
  return id;
}

/**
 * The full event resource written by events.insert and events.update (update is a PUT: what is
 * left out is cleared, which is how a private export empties description and location).
 * - start/end: `{ dateTime: ISO 8601 UTC, timeZone: the resource's IANA zone }`, the zone only
 *   deciding how Google displays the event;
 * - `status` is always sent: it is what brings back an event deleted at Google (Google keeps a
 *   deleted event as `cancelled` under its id, and an update with `confirmed` restores it);
 * - `transparency: opaque`: an appointment makes its resource busy;
 * - `extendedProperties.private` carries the appointment and export ids, read back by
 *   mapGoogleEvent as `appointmentId`;
 * - `sequence` is left to Google, which increments it itself and refuses one below its own.
 * Attendees get no invitation: the requests send `sendUpdates=none`.
 * @see https://developers.google.com/calendar/api/v3/reference/events#resource
 */
export function toGoogleEventBody(event: ExportEvent): calendar_v3.Schema$Event {
  return {
    summary: event.title,
    description: event.description ?? undefined,
    location: event.location ?? undefined,
    start: { dateTime: event.startsAt.toISOString(), timeZone: event.timeZone },
    end: { dateTime: event.endsAt.toISOString(), timeZone: event.timeZone },
    attendees: event.attendees.map((attendee) => ({ email: attendee.email, ...(attendee.name ? { displayName: attendee.name } : {}) })),
    status: event.status === 'TENTATIVE' ? 'tentative' : 'confirmed',
    transparency: 'opaque',
    extendedProperties: { private: { [APPOINTMENT_PROPERTY]: event.appointmentId, [EXPORT_PROPERTY]: event.exportId } },
  };
}
