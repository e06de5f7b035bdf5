import { exportSettled } from '../helpers/export-settled';
import {
  AppointmentExportChangedDocument,
  AvailabilityDocument,
  CancelAppointmentDocument,
  ConnectOAuthDocument,
  CreateAppointmentDocument,
  CreateResourceDocument,
  DisconnectDocument,
  ExplainAppointmentDocument,
  GetAppointmentDocument,
  GetExternalCalendarDocument,
  RegenerateAuthUrlDocument,
  RescheduleAppointmentDocument,
  SelectCalendarsDocument,
  SyncCalendarDocument,
  UpdateSyncConfigDocument,
  type AppointmentExportChangedSubscription,
  type AppointmentFieldsFragment,
} from '../graphql/generated';
import { googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { LiveSubscription } from '../helpers/live';
import { oauthDance } from '../helpers/oauth-dance';
import { until } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';

const HOUR = 3_600_000;
const OWNER = 'owner@example.com';
const TEAM = 'team@group.calendar.google.com';

/** A whole hour `hours` from the next UTC midnight after tomorrow, ISO 8601. */
function slot(hours: number, minutes = 60): { startsAt: string; endsAt: string } {
  const base = Math.ceil((Date.now() + 86_400_000) / 86_400_000) * 86_400_000 + hours * HOUR;
  return { startsAt: new Date(base).toISOString(), endsAt: new Date(base + minutes * 60_000).toISOString() };
}

/** Google's event id of an appointment's first export: `cs` + exportId without dashes. */
const googleId = (appointmentId: string, generation = 0) => `cs${appointmentId.replace(/-/g, '')}${generation}`;

describe('appointments exported to Google Calendar, exactly once', () => {
  let google: GoogleFake;
  let server: TestServer;
  let resourceId: string;
  let connectionId: string;
  let live: LiveSubscription<AppointmentExportChangedSubscription>;

  beforeAll(async () => {
    google = await startGoogleFake();
    server = await startTestServer({ env: googleEnv(google) });
    google.addCalendar({ id: OWNER, summary: 'Owner', primary: true, accessRole: 'owner' });
    google.addCalendar({ id: TEAM, summary: 'Team', accessRole: 'writer' });
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Dr. Grey', timeZone: 'Europe/Berlin' } })).createResource.id;
    const { connectExternalCalendar } = await server.ok(ConnectOAuthDocument, { input: { resourceId, provider: 'GOOGLE' } });
    connectionId = connectExternalCalendar.externalCalendar.id;
    await oauthDance(connectExternalCalendar.authUrl);
    const calendars = (await server.ok(GetExternalCalendarDocument, { id: connectionId })).externalCalendar!.providerCalendars;
    const owner = calendars.find((c) => c.providerCalendarId === OWNER)!;
    await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: connectionId, readCalendarIds: [owner.id], writeCalendarId: owner.id } });
    live = new LiveSubscription(server.wsUrl, server.apiKey, AppointmentExportChangedDocument, { resourceId });
    const marker = {
      id: 'marker',
      tenant: { id: server.tenantId },
      resource: { id: resourceId },
      status: 'CONFIRMED',
      exportStatus: 'SKIPPED',
      exportError: null,
      providerEventId: null,
      version: 0,
    };
    await live.sync(
      () => server.deps.publish.appointmentExportChanged(marker as never),
      (e) => e.appointmentExportChanged.appointmentId === 'marker',
    );
  });
  afterAll(async () => {
    await live?.close();
    await server?.close();
    await google?.close();
  });

  /** The appointment once its export has settled on `status` at `version`. */
  const settled = (id: string, status: string, version = 0) => exportSettled(server, id, status, version);
  const liveEvents = (calendarId: string) => google.storedEvents(calendarId).filter((event) => event.status !== 'cancelled');
  const book = async (hours: number, extra: Record<string, unknown> = {}): Promise<AppointmentFieldsFragment> =>
    (
      await server.ok(CreateAppointmentDocument, {
        input: {
          resourceId,
          ...slot(hours),
          title: 'Consultation',
          description: 'Room 4',
          location: 'Clinic',
          attendees: [{ email: 'pat@example.com', name: 'Pat' }],
          ...extra,
        },
      })
    ).createAppointment;

  it('writes a confirmed appointment under its deterministic id with its details and mark, and streams PENDING then EXPORTED', async () => {
    const created = await book(10);
    expect(created.exportStatus).toBe('PENDING');
    const exported = await settled(created.id, 'EXPORTED');
    expect(exported).toMatchObject({ providerEventId: googleId(created.id), exportCalendar: { name: 'Owner' } });
    const event = google.storedEvent(OWNER, googleId(created.id))!;
    expect(event).toMatchObject({
      summary: 'Consultation',
      description: 'Room 4',
      location: 'Clinic',
      status: 'confirmed',
      attendees: [expect.objectContaining({ email: 'pat@example.com', displayName: 'Pat' })],
      extendedProperties: { private: expect.objectContaining({ calsyncAppointmentId: created.id }) },
    });
    expect(new Date(event.start!.dateTime!).toISOString()).toBe(created.startsAt);
    const statuses =
      (await live.waitFor((e) => e.appointmentExportChanged.appointmentId === created.id && e.appointmentExportChanged.exportStatus === 'EXPORTED')) &&
      live.received.filter((e) => e.appointmentExportChanged.appointmentId === created.id).map((e) => e.appointmentExportChanged.exportStatus);
    expect(statuses).toEqual(['PENDING', 'EXPORTED']);
  });

  it('recognises its own export when syncing it back: one busy interval, explained by the appointment alone', async () => {
    const created = await book(13);
    await settled(created.id, 'EXPORTED');
    const run = (await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId, full: true })).syncExternalCalendar;
    expect((await server.finished(run.id)).status).toBe('SUCCEEDED');
    const [stored] = await server.orm.em.fork().execute('select appointment_id, blocking from external_event where external_id = ?', [googleId(created.id)]);
    expect(stored).toEqual({ appointment_id: created.id, blocking: false });

    const { availability } = await server.ok(AvailabilityDocument, { input: { resourceId, from: slot(12).startsAt, to: slot(15).startsAt, slotMinutes: 60 } });
    expect(availability.busy).toEqual([{ start: new Date(created.startsAt).toISOString(), end: new Date(created.endsAt).toISOString() }]);
    const { explainAvailability } = await server.ok(ExplainAppointmentDocument, { resourceId, at: created.startsAt });
    expect(explainAvailability.blocks.map((block) => block.kind)).toEqual(['APPOINTMENT']);
  });

  it('follows a reschedule with an update of the same event, and a cancellation with its deletion', async () => {
    const created = await book(16);
    await settled(created.id, 'EXPORTED');
    const moved = (await server.ok(RescheduleAppointmentDocument, { input: { id: created.id, ...slot(18) } })).rescheduleAppointment;
    await settled(created.id, 'EXPORTED', 1);
    expect(new Date(google.storedEvent(OWNER, googleId(created.id))!.start!.dateTime!).toISOString()).toBe(moved.startsAt);
    expect(liveEvents(OWNER).filter((event) => event.id === googleId(created.id))).toHaveLength(1);

    await server.ok(CancelAppointmentDocument, { id: created.id });
    await settled(created.id, 'REMOVED', 2);
    expect(google.storedEvent(OWNER, googleId(created.id))!.status).toBe('cancelled');
  });

  it('exports as "Busy" without details when privateExport is on', async () => {
    await server.ok(UpdateSyncConfigDocument, { externalCalendarId: connectionId, input: { privateExport: true } });
    const created = await book(20);
    await settled(created.id, 'EXPORTED');
    const event = google.storedEvent(OWNER, googleId(created.id))!;
    expect(event.summary).toBe('Busy');
    expect(event.description ?? null).toBeNull();
    expect(event.location ?? null).toBeNull();
    expect(event.attendees ?? []).toEqual([]);
    await server.ok(UpdateSyncConfigDocument, { externalCalendarId: connectionId, input: { privateExport: false } });
  });

  it('moves future exported appointments to a new write calendar with moveExisting, once each', async () => {
    const created = await book(22);
    await settled(created.id, 'EXPORTED');
    const calendars = (await server.ok(GetExternalCalendarDocument, { id: connectionId })).externalCalendar!.providerCalendars;
    const owner = calendars.find((c) => c.providerCalendarId === OWNER)!;
    const team = calendars.find((c) => c.providerCalendarId === TEAM)!;
    await server.ok(SelectCalendarsDocument, {
      input: { externalCalendarId: connectionId, readCalendarIds: [owner.id], writeCalendarId: team.id, moveExisting: true },
    });
    const moved = await until('the appointment to land in Team', async () => {
      const { appointment } = await server.ok(GetAppointmentDocument, { id: created.id });
      return appointment?.exportStatus === 'EXPORTED' && appointment.exportCalendar?.name === 'Team' ? appointment : null;
    });
    // A fresh export after the removal: generation 1, so a new id in the new calendar.
    expect(moved.providerEventId).toBe(googleId(created.id, 1));
    expect(google.storedEvent(OWNER, googleId(created.id))!.status).toBe('cancelled');
    expect(liveEvents(TEAM).map((event) => event.id)).toContain(googleId(created.id, 1));
    expect(liveEvents(OWNER).filter((event) => event.extendedProperties?.private?.calsyncAppointmentId === created.id)).toEqual([]);
  });

  it('switching export off skips new appointments and keeps exported ones unless moveExisting; switching it on exports what waits', async () => {
    const exported = await book(24);
    await settled(exported.id, 'EXPORTED');
    await server.ok(UpdateSyncConfigDocument, { externalCalendarId: connectionId, input: { exportEnabled: false } });
    const waiting = await book(26);
    expect(waiting).toMatchObject({ exportStatus: 'SKIPPED', exportError: 'The resource has no write calendar with export on' });
    expect((await server.ok(GetAppointmentDocument, { id: exported.id })).appointment?.exportStatus).toBe('EXPORTED');

    await server.ok(UpdateSyncConfigDocument, { externalCalendarId: connectionId, input: { exportEnabled: true } });
    const nowExported = await settled(waiting.id, 'EXPORTED');
    expect(google.storedEvent(TEAM, nowExported.providerEventId!)?.status).toBe('confirmed');

    await server.ok(UpdateSyncConfigDocument, { externalCalendarId: connectionId, input: { exportEnabled: false, moveExisting: true } });
    await settled(waiting.id, 'REMOVED');
    await settled(exported.id, 'REMOVED');
    expect(google.storedEvent(TEAM, nowExported.providerEventId!)?.status).toBe('cancelled');
    await server.ok(UpdateSyncConfigDocument, { externalCalendarId: connectionId, input: { exportEnabled: true } });
  });

  it('stops on a revoked grant (FAILED, connection REAUTH_REQUIRED), retries once the owner consents again; disconnecting stops exports, with a reason', async () => {
    google.revokeGrant();
    const created = await book(30);
    const failed = await settled(created.id, 'FAILED');
    expect(failed.exportError).toBeTruthy();
    const { externalCalendar } = await server.ok(GetExternalCalendarDocument, { id: connectionId });
    expect(externalCalendar!.status).toBe('REAUTH_REQUIRED');

    // The owner consents again: the failed export is queued again and lands.
    const { regenerateAuthUrl } = await server.ok(RegenerateAuthUrlDocument, { externalCalendarId: connectionId });
    await oauthDance(regenerateAuthUrl.authUrl);
    const recovered = await settled(created.id, 'EXPORTED');
    expect(liveEvents(TEAM).map((event) => event.id)).toContain(recovered.providerEventId);

    await server.ok(DisconnectDocument, { id: connectionId });
    const cancelled = await settled(created.id, 'SKIPPED');
    expect(cancelled.exportError).toMatch(/disconnected/);
  });
});
