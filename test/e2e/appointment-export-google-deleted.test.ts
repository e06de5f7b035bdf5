import { exportSettled } from '../helpers/export-settled';
import { CreateAppointmentDocument, CreateResourceDocument, RescheduleAppointmentDocument } from '../graphql/generated';
import { googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { connectGoogle } from '../helpers/google-connection';
import { startTestServer, type TestServer } from '../helpers/test-server';

const HOUR = 3_600_000;
const OWNER = 'owner@example.com';

/** A whole hour `hours` from the next UTC midnight after tomorrow, ISO 8601. */
function slot(hours: number): { startsAt: string; endsAt: string } {
  const base = Math.ceil((Date.now() + 86_400_000) / 86_400_000) * 86_400_000 + hours * HOUR;
  return { startsAt: new Date(base).toISOString(), endsAt: new Date(base + HOUR).toISOString() };
}

/** Google's event id of an appointment's export of generation `generation`: `cs` + exportId without dashes. */
const googleId = (appointmentId: string, generation = 0) => `cs${appointmentId.replace(/-/g, '')}${generation}`;

/**
 * Events the user deleted at Google keep their id (`cancelled`): an insert under it is 409
 * `duplicate`, an update of it 403 (https://developers.google.com/calendar/api/v3/reference/events/insert,
 * https://github.com/googleapis/google-api-ruby-client/issues/1811). The export goes on under a
 * new generation id instead of ending FAILED.
 */
describe('Google export of an appointment whose event the user deleted', () => {
  let google: GoogleFake;
  let server: TestServer;
  let resourceId: string;

  beforeAll(async () => {
    google = await startGoogleFake();
    server = await startTestServer({ env: googleEnv(google) });
    google.addCalendar({ id: OWNER, summary: 'Owner', primary: true, accessRole: 'owner' });
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Dr. Who', timeZone: 'Europe/Berlin' } })).createResource.id;
    await connectGoogle(server, resourceId, { write: true });
  });
  afterAll(async () => {
    await server?.close();
    await google?.close();
  });

  const settled = (id: string, status: string, version = 0) => exportSettled(server, id, status, version);
  const book = async (hours: number) =>
    (await server.ok(CreateAppointmentDocument, { input: { resourceId, ...slot(hours), title: 'Check-up' } })).createAppointment;
  const liveEvents = () => google.storedEvents(OWNER).filter((event) => event.status !== 'cancelled');

  it('an update of the deleted event (403) exports the appointment under the next generation', async () => {
    const created = await book(9);
    await settled(created.id, 'EXPORTED');
    google.deleteEvent(OWNER, googleId(created.id));
    await server.ok(RescheduleAppointmentDocument, { input: { id: created.id, ...slot(11) } });
    const exported = await settled(created.id, 'EXPORTED', 1);
    expect(exported.providerEventId).toBe(googleId(created.id, 1));
    expect(google.storedEvent(OWNER, googleId(created.id))?.status).toBe('cancelled');
    expect(liveEvents().filter((event) => event.extendedProperties?.private?.calsyncAppointmentId === created.id)).toHaveLength(1);
  });

  it('an insert whose first answer was lost, and whose event the user deleted before the retry (409), exports under the next generation', async () => {
    let dropped = false;
    google.onWrite = (method, calendarId, eventId) => {
      if (method !== 'POST' || dropped) return;
      dropped = true;
      // Google committed the insert; the user deletes the event before Calsync hears back.
      google.deleteEvent(calendarId, eventId);
      throw new Error('connection lost');
    };
    try {
      const created = await book(13);
      const exported = await settled(created.id, 'EXPORTED');
      expect(dropped).toBe(true);
      expect(exported.providerEventId).toBe(googleId(created.id, 1));
      expect(exported.exportError).toBeNull();
      const mine = liveEvents().filter((event) => event.extendedProperties?.private?.calsyncAppointmentId === created.id);
      expect(mine.map((event) => event.id)).toEqual([googleId(created.id, 1)]);
    } finally {
      google.onWrite = null;
    }
  });

  it('a create looks its id up before inserting, and a retried one lands on the event already there', async () => {
    let dropped = false;
    google.onWrite = (method) => {
      if (method !== 'POST' || dropped) return;
      dropped = true;
      throw new Error('connection lost');
    };
    try {
      const before = google.requests.length;
      const created = await book(15);
      const exported = await settled(created.id, 'EXPORTED');
      expect(exported.providerEventId).toBe(googleId(created.id));
      const eventPath = `/calendar/v3/calendars/${encodeURIComponent(OWNER)}/events/${googleId(created.id)}`;
      expect(google.requests.slice(before).some((request) => request.method === 'GET' && request.path === eventPath)).toBe(true);
      expect(liveEvents().filter((event) => event.extendedProperties?.private?.calsyncAppointmentId === created.id)).toHaveLength(1);
    } finally {
      google.onWrite = null;
    }
  });
});
