import {
  ConnectByCredentialsDocument,
  ConnectOAuthDocument,
  CreateAppointmentDocument,
  CreateResourceDocument,
  GetAppointmentDocument,
  IngestDocument,
  ParityAvailabilityDocument,
  ParityConnectionDocument,
  ParityConnectionsDocument,
  ParityEventsDocument,
  ParitySyncFlagsDocument,
  ProvidersWithReasonDocument,
  SelectCalendarsDocument,
} from '../graphql/generated';
import { googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { describeWithRadicale, startRadicale, type RadicaleServer } from '../helpers/radicale';
import { startTestServer, type TestServer } from '../helpers/test-server';

/** Rows of docs/parity.md that no other suite covers: OnSched, Wix Bookings External Calendar v2 and vcita. */

const WINDOW = { from: '2030-03-04T00:00:00Z', to: '2030-03-05T00:00:00Z' };

function vevent(uid: string, start: string, end: string, summary: string): string {
  return ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20300101T000000Z', `DTSTART:${start}`, `DTEND:${end}`, `SUMMARY:${summary}`, 'END:VEVENT'].join('\r\n');
}

function calendar(...events: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Calsync tests//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');
}

describeWithRadicale('parity with OnSched, Wix Bookings External Calendar v2 and vcita', () => {
  let radicale: RadicaleServer;
  let google: GoogleFake;
  let server: TestServer;

  beforeAll(async () => {
    radicale = await startRadicale();
    google = await startGoogleFake();
    server = await startTestServer({ env: googleEnv(google) });
  });
  afterAll(async () => {
    await server?.close();
    await google?.close();
    await radicale?.stop();
  });

  async function resource(name: string): Promise<string> {
    return (await server.ok(CreateResourceDocument, { input: { name, timeZone: 'Europe/Berlin' } })).createResource.id;
  }

  /** A CalDAV (or Apple) connection of a new resource to a Radicale collection, its calendar read and written. */
  async function connectRadicale(collectionName: string, ics: string, provider: 'CALDAV' | 'APPLE' = 'CALDAV') {
    const collection = await radicale.putCalendar(collectionName, ics);
    const resourceId = await resource(`parity ${collectionName}`);
    const connection = (
      await server.ok(ConnectByCredentialsDocument, {
        input: { resourceId, provider, serverUrl: radicale.url, username: radicale.username, password: radicale.password },
      })
    ).connectExternalCalendarByCredentials;
    const calendarId = connection.providerCalendars.find((c) => collection.endsWith(new URL(c.providerCalendarId, radicale.url).pathname))!.id;
    await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: connection.id, readCalendarIds: [calendarId], writeCalendarId: calendarId } });
    return { resourceId, connectionId: connection.id, calendarId, collection, connection };
  }

  it('OnSched GET externalCalendars / Wix getConnection: lists PENDING and CONNECTED connections of a resource, by status', async () => {
    const { resourceId, connectionId } = await connectRadicale('listing', calendar());
    const pending = (await server.ok(ConnectOAuthDocument, { input: { resourceId, provider: 'GOOGLE', redirectUrl: 'https://booking.example/done' } }))
      .connectExternalCalendar;
    expect(pending.authUrl).toMatch(/^http/);
    const all = (await server.ok(ParityConnectionsDocument, { resourceId })).externalCalendars;
    expect(all.map((c) => [c.id, c.provider, c.status])).toEqual([
      [connectionId, 'CALDAV', 'CONNECTED'],
      [pending.externalCalendar.id, 'GOOGLE', 'PENDING'],
    ]);
    expect((await server.ok(ParityConnectionsDocument, { resourceId, status: 'PENDING' })).externalCalendars.map((c) => c.id)).toEqual([
      pending.externalCalendar.id,
    ]);
    expect((await server.ok(ParityConnectionsDocument, { resourceId, status: 'CONNECTED' })).externalCalendars.map((c) => c.id)).toEqual([connectionId]);
    expect((await server.ok(ParityConnectionDocument, { id: pending.externalCalendar.id })).externalCalendar).toMatchObject({
      provider: 'GOOGLE',
      status: 'PENDING',
    });
  });

  it('Wix connectByCredentials (Apple): an APPLE connection by user name and app password, CONNECTED, listed with connectMethods CREDENTIALS', async () => {
    const { providers } = await server.ok(ProvidersWithReasonDocument);
    expect(providers.find((p) => p.id === 'APPLE')).toMatchObject({ connectMethods: ['CREDENTIALS'], available: true, unavailableReason: null });
    expect(providers.find((p) => p.id === 'GOOGLE')).toMatchObject({ connectMethods: ['OAUTH'], available: true });
    // iCloud is a CalDAV server; the test points serverUrl at Radicale instead of https://caldav.icloud.com.
    const { connectionId } = await connectRadicale('apple', calendar(vevent('apple-1@test', '20300304T090000Z', '20300304T100000Z', 'iCloud event')), 'APPLE');
    expect((await server.ok(ParityConnectionDocument, { id: connectionId })).externalCalendar).toMatchObject({
      provider: 'APPLE',
      status: 'CONNECTED',
      accountEmail: radicale.username,
    });
  });

  it('OnSched GET availability?syncExternal=true: refreshes the calendars over the window before answering', async () => {
    const { resourceId, collection } = await connectRadicale('fresh', calendar());
    await radicale.putEvent(collection, 'late@test', calendar(vevent('late@test', '20300304T090000Z', '20300304T100000Z', 'Booked elsewhere')));
    const synced = (await server.ok(ParityAvailabilityDocument, { input: { resourceId, ...WINDOW, syncExternal: true } })).availability;
    expect(synced.fresh).toBe(true);
    expect(synced.syncedAt).toBeTruthy();
    expect(synced.busy).toEqual([{ start: '2030-03-04T09:00:00.000Z', end: '2030-03-04T10:00:00.000Z' }]);
    // Without syncExternal the stored events are answered: an event added at the server since is not known yet.
    await radicale.putEvent(collection, 'later@test', calendar(vevent('later@test', '20300304T120000Z', '20300304T130000Z', 'Booked later')));
    expect((await server.ok(ParityAvailabilityDocument, { input: { resourceId, ...WINDOW } })).availability.busy).toHaveLength(1);
  });

  // The resource (and its busy_version) must be read after the refreshing sync, or a busy time
  // cached by an earlier question would hide the event the refresh just stored.
  it('OnSched syncExternal after an earlier (cached) answer still shows the event the refresh just stored', async () => {
    const { resourceId, collection } = await connectRadicale('fresh-cached', calendar());
    expect((await server.ok(ParityAvailabilityDocument, { input: { resourceId, ...WINDOW } })).availability.busy).toEqual([]);
    await radicale.putEvent(collection, 'late@test', calendar(vevent('late@test', '20300304T090000Z', '20300304T100000Z', 'Booked elsewhere')));
    const synced = (await server.ok(ParityAvailabilityDocument, { input: { resourceId, ...WINDOW, syncExternal: true } })).availability;
    expect(synced.fresh).toBe(true);
    expect(synced.busy).toEqual([{ start: '2030-03-04T09:00:00.000Z', end: '2030-03-04T10:00:00.000Z' }]);
  });

  it('Wix listEvents: from and to are required, schedule (resource) ids are optional and narrow the list', async () => {
    const first = await connectRadicale('list-a', calendar(vevent('a@test', '20300304T080000Z', '20300304T083000Z', 'A')));
    const second = await connectRadicale('list-b', calendar(vevent('b@test', '20300304T110000Z', '20300304T113000Z', 'B')));
    for (const { resourceId } of [first, second])
      await server.finished((await server.ok(IngestDocument, { input: { resourceId, ...WINDOW } })).ingestExternalEvents.id);
    const narrowed = (await server.ok(ParityEventsDocument, { filter: { ...WINDOW, resourceIds: [first.resourceId] } })).externalEvents.edges.map(
      (e) => e.node.externalId,
    );
    expect(narrowed).toEqual(['a@test']);
    const both = (
      await server.ok(ParityEventsDocument, { filter: { ...WINDOW, resourceIds: [first.resourceId, second.resourceId] } })
    ).externalEvents.edges.map((e) => e.node.externalId);
    expect(both).toEqual(['a@test', 'b@test']);
    const unfiltered = (await server.ok(ParityEventsDocument, { filter: WINDOW })).externalEvents.edges.map((e) => e.node.externalId);
    expect(unfiltered).toEqual(expect.arrayContaining(['a@test', 'b@test']));
    const withoutTo = await server.gql(ParityEventsDocument, { filter: { from: WINDOW.from } as never });
    expect(withoutTo.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(withoutTo.data ?? null).toBeNull();
  });

  it('vcita should_import / should_export / is_private_import / is_private_export: the four SyncConfig flags, set and read back', async () => {
    const { connectionId } = await connectRadicale('flags', calendar());
    expect((await server.ok(ParityConnectionDocument, { id: connectionId })).externalCalendar!.syncConfig).toEqual({
      importEnabled: true,
      exportEnabled: true,
      privateImport: false,
      privateExport: false,
    });
    const flags = { importEnabled: false, exportEnabled: false, privateImport: true, privateExport: true };
    expect((await server.ok(ParitySyncFlagsDocument, { externalCalendarId: connectionId, input: flags })).updateSyncConfig).toEqual(flags);
    expect((await server.ok(ParityConnectionDocument, { id: connectionId })).externalCalendar!.syncConfig).toEqual(flags);
  });

  it('vcita stop_import / disable and the 422 "staff is not registered to any calendar sync": FAILED_PRECONDITION, no run stored; start again and it ingests', async () => {
    const { resourceId, connectionId } = await connectRadicale('stop-import', calendar(vevent('s@test', '20300304T090000Z', '20300304T100000Z', 'S')));
    const bare = await resource('parity without calendars');
    const unregistered = await server.gql(IngestDocument, { input: { resourceId: bare, ...WINDOW } });
    expect(unregistered.errors?.[0]?.extensions).toMatchObject({ code: 'FAILED_PRECONDITION', field: 'input.resourceId' });

    await server.ok(ParitySyncFlagsDocument, { externalCalendarId: connectionId, input: { importEnabled: false } });
    const runs = async () =>
      ((await server.orm.em.getConnection().execute('select count(*)::int as n from sync_run where resource_id = ?', [resourceId])) as { n: number }[])[0]!.n;
    const runsBefore = await runs();
    const stopped = await server.gql(IngestDocument, { input: { resourceId, ...WINDOW } });
    expect(stopped.errors?.[0]?.extensions).toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect(await runs()).toBe(runsBefore);

    await server.ok(ParitySyncFlagsDocument, { externalCalendarId: connectionId, input: { importEnabled: true } });
    const run = await server.finished((await server.ok(IngestDocument, { input: { resourceId, ...WINDOW } })).ingestExternalEvents.id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', upserted: 1 });
  });

  it('vcita disable (export side) / Wix syncToCalendar.enabled=false: with export off a new appointment is SKIPPED, not written', async () => {
    const { resourceId, connectionId } = await connectRadicale('no-export', calendar());
    await server.ok(ParitySyncFlagsDocument, { externalCalendarId: connectionId, input: { exportEnabled: false } });
    const appointment = (
      await server.ok(CreateAppointmentDocument, {
        input: { resourceId, startsAt: '2030-03-04T14:00:00Z', endsAt: '2030-03-04T15:00:00Z', title: 'Not exported' },
      })
    ).createAppointment;
    const deadline = Date.now() + 20_000;
    let status = appointment.exportStatus;
    while (status === 'PENDING' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await server.ok(GetAppointmentDocument, { id: appointment.id })).appointment!.exportStatus;
    }
    expect(status).toBe('SKIPPED');
  });
});
