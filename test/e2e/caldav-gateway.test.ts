import {
  AvailabilityDocument,
  ConnectByCredentialsDocument,
  CreateResourceDocument,
  DisconnectDocument,
  GetExternalCalendarDocument,
  GetSyncRunDocument,
  IngestDocument,
  ListEventsDocument,
  ListExternalCalendarsDocument,
  ListProviderCalendarsDocument,
  SelectCalendarsDocument,
  SyncCalendarDocument,
  UpdateResourceDocument,
  UpdateSyncConfigDocument,
} from '../graphql/generated';
import { describeWithRadicale, startRadicale, type RadicaleServer } from '../helpers/radicale';
import { startTestServer, type TestServer } from '../helpers/test-server';

/** A week in Berlin (UTC+1 in December) with one event of each kind that matters for blocking. */
const WORK_CALENDAR = `BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Calsync tests//EN
BEGIN:VEVENT
UID:meeting@test
DTSTAMP:20261101T000000Z
DTSTART;TZID=Europe/Berlin:20261207T100000
DTEND;TZID=Europe/Berlin:20261207T110000
SUMMARY:Team meeting
END:VEVENT
BEGIN:VEVENT
UID:free@test
DTSTAMP:20261101T000000Z
DTSTART:20261207T130000Z
DTEND:20261207T140000Z
SUMMARY:Free time marker
TRANSP:TRANSPARENT
END:VEVENT
BEGIN:VEVENT
UID:cancelled@test
DTSTAMP:20261101T000000Z
DTSTART:20261207T140000Z
DTEND:20261207T150000Z
SUMMARY:Cancelled call
STATUS:CANCELLED
END:VEVENT
BEGIN:VEVENT
UID:tentative@test
DTSTAMP:20261101T000000Z
DTSTART;TZID=Europe/Berlin:20261208T090000
DTEND;TZID=Europe/Berlin:20261208T100000
SUMMARY:Maybe
STATUS:TENTATIVE
END:VEVENT
BEGIN:VEVENT
UID:holiday@test
DTSTAMP:20261101T000000Z
DTSTART;VALUE=DATE:20261209
DTEND;VALUE=DATE:20261210
SUMMARY:Day off
END:VEVENT
BEGIN:VEVENT
UID:standup@test
DTSTAMP:20261101T000000Z
DTSTART;TZID=Europe/Berlin:20261207T090000
DURATION:PT15M
RRULE:FREQ=DAILY;COUNT=5
EXDATE;TZID=Europe/Berlin:20261208T090000
SUMMARY:Stand-up
END:VEVENT
BEGIN:VEVENT
UID:standup@test
DTSTAMP:20261101T000000Z
RECURRENCE-ID;TZID=Europe/Berlin:20261210T090000
DTSTART;TZID=Europe/Berlin:20261210T160000
DTEND;TZID=Europe/Berlin:20261210T161500
SUMMARY:Stand-up (moved)
END:VEVENT
END:VCALENDAR
`;

const PERSONAL_CALENDAR = `BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Calsync tests//EN
BEGIN:VEVENT
UID:dentist@test
DTSTAMP:20261101T000000Z
DTSTART:20261211T100000Z
DTEND:20261211T110000Z
SUMMARY:Dentist
END:VEVENT
END:VCALENDAR
`;

/** The stand-up series of WORK_CALENDAR with COUNT=2 instead of 5, its moved occurrence kept. */
const STANDUP_SHORTENED = `BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Calsync tests//EN
${WORK_CALENDAR.match(/BEGIN:VEVENT\r?\nUID:standup@test[\s\S]*?END:VEVENT\r?\n/g)!
  .join('')
  .replace('COUNT=5', 'COUNT=2')}END:VCALENDAR
`;

const LATE_MEETING = `BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Calsync tests//EN
BEGIN:VEVENT
UID:late@test
DTSTAMP:20261101T000000Z
DTSTART;TZID=Europe/Berlin:20261210T180000
DTEND;TZID=Europe/Berlin:20261210T190000
SUMMARY:Late meeting
END:VEVENT
END:VCALENDAR
`;

const WEEK = { from: '2026-12-07T00:00:00+01:00', to: '2026-12-12T00:00:00+01:00' };
const weekdays = (['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] as const).map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));

describeWithRadicale('CalDAV end to end: connect, select, ingest, query, disconnect', () => {
  let radicale: RadicaleServer;
  let server: TestServer;
  let resourceId: string;
  let connectionId: string;
  let workCalendarUrl: string;

  beforeAll(async () => {
    radicale = await startRadicale();
    server = await startTestServer();
    workCalendarUrl = await radicale.putCalendar('work', WORK_CALENDAR);
    await radicale.putCalendar('personal', PERSONAL_CALENDAR);
    const { createResource } = await server.ok(CreateResourceDocument, {
      input: { name: 'Dr. Ada', timeZone: 'Europe/Berlin', workingHours: weekdays },
    });
    resourceId = createResource.id;
  });
  afterAll(async () => {
    await server?.close();
    await radicale?.stop();
  });

  /** Rows of this test's tenant: other suites share the database. */
  const countRows = async (table: string) =>
    Number((await server.orm.em.getConnection().execute(`select count(*) as n from ${table} where tenant_id = ?`, [server.tenantId]))[0].n);

  it('refuses a wrong password with PROVIDER_AUTH_REQUIRED and stores nothing', async () => {
    const result = await server.gql(ConnectByCredentialsDocument, {
      input: { resourceId, provider: 'CALDAV', serverUrl: radicale.url, username: radicale.username, password: 'wrong' },
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('PROVIDER_AUTH_REQUIRED');
    expect(result.errors?.[0]?.message).toMatch(/refused the credentials/);
    expect(await countRows('external_calendar')).toBe(0);
  });

  it('refuses an unreachable server with PROVIDER_UNAVAILABLE and stores nothing', async () => {
    const result = await server.gql(ConnectByCredentialsDocument, {
      input: { resourceId, provider: 'CALDAV', serverUrl: 'http://127.0.0.1:9/', username: 'alice', password: 'x' },
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
    expect(result.errors?.[0]?.message).toMatch(/could not be reached$/);
    expect(await countRows('external_calendar')).toBe(0);
  });

  it('refuses a URL without a CalDAV service, a missing serverUrl and a bad provider with BAD_USER_INPUT', async () => {
    const notDav = await server.gql(ConnectByCredentialsDocument, {
      input: { resourceId, provider: 'CALDAV', serverUrl: `${server.url}/healthz`, username: 'alice', password: 'x' },
    });
    expect(notDav.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.serverUrl' });
    const noUrl = await server.gql(ConnectByCredentialsDocument, { input: { resourceId, provider: 'CALDAV', username: 'alice', password: 'x' } });
    expect(noUrl.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.serverUrl' });
    const oauth = await server.gql(ConnectByCredentialsDocument, { input: { resourceId, provider: 'GOOGLE', username: 'alice', password: 'x' } });
    expect(oauth.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.provider' });
    expect(await countRows('external_calendar')).toBe(0);
  });

  it('connects, discovers the calendars, and keeps the password encrypted and unexposed', async () => {
    const { connectExternalCalendarByCredentials: connection } = await server.ok(ConnectByCredentialsDocument, {
      input: { resourceId, provider: 'CALDAV', serverUrl: radicale.url, username: radicale.username, password: radicale.password },
    });
    connectionId = connection.id;
    expect(connection).toMatchObject({ provider: 'CALDAV', status: 'CONNECTED', accountEmail: 'alice', serverUrl: radicale.url, resource: { id: resourceId } });
    expect(connection.providerCalendars.map((c) => c.providerCalendarId).sort()).toEqual([`${radicale.url}alice/personal/`, workCalendarUrl]);
    expect(connection.providerCalendars.every((c) => !c.read && !c.write)).toBe(true);
    expect(connection.syncConfig).toMatchObject({ importEnabled: true, tentativeIsBusy: true, allDayIsBusy: true });

    const [{ credentials }] = await server.orm.em.getConnection().execute('select credentials from external_calendar where id = ?', [connectionId]);
    expect(credentials).toMatch(/^v1\./);
    expect(credentials).not.toContain(radicale.password);
    const listed = await server.ok(ListExternalCalendarsDocument, { resourceId, status: 'CONNECTED' });
    expect(listed.externalCalendars).toEqual([{ id: connectionId, status: 'CONNECTED' }]);
  });

  it('selects read calendars and one write calendar per resource', async () => {
    const { providerCalendars } = await server.ok(ListProviderCalendarsDocument, { externalCalendarId: connectionId });
    const work = providerCalendars.find((c) => c.providerCalendarId === workCalendarUrl)!;
    const personal = providerCalendars.find((c) => c.id !== work.id)!;
    const { selectCalendars } = await server.ok(SelectCalendarsDocument, {
      input: { externalCalendarId: connectionId, readCalendarIds: [work.id, personal.id], writeCalendarId: work.id },
    });
    expect(selectCalendars.providerCalendars.filter((c) => c.read)).toHaveLength(2);
    expect(selectCalendars.providerCalendars.filter((c) => c.write).map((c) => c.id)).toEqual([work.id]);

    const foreign = await server.gql(SelectCalendarsDocument, {
      input: { externalCalendarId: connectionId, readCalendarIds: ['00000000-0000-4000-8000-000000000000'] },
    });
    expect(foreign.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.readCalendarIds[0]' });

    // The database itself refuses a second write calendar for the resource.
    await expect(server.orm.em.getConnection().execute('update provider_calendar set write = true where id = ?', [personal.id])).rejects.toThrow(
      /provider_calendar_one_write_per_resource/,
    );
  });

  it('rejects bad ingest input with a clear error and stores nothing', async () => {
    const runsBefore = await countRows('sync_run');
    const cases: [Record<string, unknown>, string, string][] = [
      [{ resourceId, from: WEEK.to, to: WEEK.from }, 'BAD_USER_INPUT', 'input.to'],
      [{ resourceId, from: '2026-01-01T00:00:00Z', to: '2027-01-03T00:00:00Z' }, 'BAD_USER_INPUT', 'input.to'],
      [{ resourceId, externalCalendarId: connectionId, ...WEEK }, 'BAD_USER_INPUT', 'input.resourceId'],
      [{ ...WEEK }, 'BAD_USER_INPUT', 'input.resourceId'],
      [{ resourceId: '00000000-0000-4000-8000-000000000000', ...WEEK }, 'NOT_FOUND', 'input.resourceId'],
      [{ externalCalendarId: 'not-an-id', ...WEEK }, 'NOT_FOUND', 'input.externalCalendarId'],
    ];
    for (const [input, code, field] of cases) {
      const result = await server.gql(IngestDocument, { input: input as never });
      expect(result.errors?.[0]?.extensions).toEqual({ code, field });
    }
    const noOffset = await server.gql(IngestDocument, { input: { resourceId, from: '2026-12-07T00:00:00', to: WEEK.to } });
    expect(noOffset.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await countRows('sync_run')).toBe(runsBefore);
    expect(await countRows('external_event')).toBe(0);
  });

  it('ingests every occurrence with the right instants, and re-running changes nothing', async () => {
    const run = await server.finished((await server.ok(IngestDocument, { input: { resourceId, ...WEEK } })).ingestExternalEvents.id);
    // meeting, free, cancelled, tentative, holiday, dentist, and stand-ups on Mon, Wed, Thu (moved), Fri.
    expect(run).toMatchObject({ kind: 'RANGE', status: 'SUCCEEDED', fetched: 10, upserted: 10, deleted: 0, skipped: 0, error: null });
    expect(run.startedAt).toBeTruthy();
    expect(run.finishedAt).toBeTruthy();

    const { externalEvents } = await server.ok(ListEventsDocument, { filter: { ...WEEK, resourceIds: [resourceId] }, first: 100 });
    const events = externalEvents.edges.map((edge) => edge.node);
    const summary = events.map((e) => [e.externalId, e.title, e.startsAt, e.endsAt, e.status, e.transparency, e.allDay]);
    expect(summary).toEqual(
      [
        ['standup@test#20261207T080000Z', 'Stand-up', '2026-12-07T08:00:00.000Z', '2026-12-07T08:15:00.000Z', 'CONFIRMED', 'OPAQUE', false],
        ['meeting@test', 'Team meeting', '2026-12-07T09:00:00.000Z', '2026-12-07T10:00:00.000Z', 'CONFIRMED', 'OPAQUE', false],
        ['free@test', 'Free time marker', '2026-12-07T13:00:00.000Z', '2026-12-07T14:00:00.000Z', 'CONFIRMED', 'TRANSPARENT', false],
        ['cancelled@test', 'Cancelled call', '2026-12-07T14:00:00.000Z', '2026-12-07T15:00:00.000Z', 'CANCELLED', 'OPAQUE', false],
        ['tentative@test', 'Maybe', '2026-12-08T08:00:00.000Z', '2026-12-08T09:00:00.000Z', 'TENTATIVE', 'OPAQUE', false],
        // All-day: the resource's local day, 00:00 Berlin = 23:00 UTC the day before.
        ['holiday@test', 'Day off', '2026-12-08T23:00:00.000Z', '2026-12-09T23:00:00.000Z', 'CONFIRMED', 'OPAQUE', true],
        ['standup@test#20261209T080000Z', 'Stand-up', '2026-12-09T08:00:00.000Z', '2026-12-09T08:15:00.000Z', 'CONFIRMED', 'OPAQUE', false],
        ['dentist@test', 'Dentist', '2026-12-11T10:00:00.000Z', '2026-12-11T11:00:00.000Z', 'CONFIRMED', 'OPAQUE', false],
        ['standup@test#20261211T080000Z', 'Stand-up', '2026-12-11T08:00:00.000Z', '2026-12-11T08:15:00.000Z', 'CONFIRMED', 'OPAQUE', false],
        ['standup@test#20261210T080000Z', 'Stand-up (moved)', '2026-12-10T15:00:00.000Z', '2026-12-10T15:15:00.000Z', 'CONFIRMED', 'OPAQUE', false],
      ].sort((a, b) => String(a[2]).localeCompare(String(b[2]))),
    );
    const holiday = events.find((e) => e.externalId === 'holiday@test')!;
    expect([holiday.startDate, holiday.endDate]).toEqual(['2026-12-09', '2026-12-10']);
    expect(events.find((e) => e.externalId === 'meeting@test')).toMatchObject({ seriesId: null, recurrenceId: null, source: 'PROVIDER_SYNC', active: true });
    expect(events.find((e) => e.externalId.startsWith('standup@test#20261210'))).toMatchObject({ seriesId: 'standup@test', recurrenceId: '20261210T080000Z' });

    // The mutation answers at once with the QUEUED run; a worker runs it.
    const queued = (await server.ok(IngestDocument, { input: { resourceId, ...WEEK } })).ingestExternalEvents;
    expect(queued).toMatchObject({ status: 'QUEUED', fetched: 0, startedAt: null });
    await server.finished(queued.id);
    const { syncRun } = await server.ok(GetSyncRunDocument, { id: queued.id });
    expect(syncRun).toMatchObject({ status: 'SUCCEEDED', fetched: 10, upserted: 0, deleted: 0 });
  });

  it('answers availability from working hours minus blocking events', async () => {
    const { availability } = await server.ok(AvailabilityDocument, { input: { resourceId, ...WEEK, slotMinutes: 60 } });
    // Blocking: stand-ups, meeting, tentative, the all-day holiday, dentist. Not: free, cancelled.
    expect(availability.busy.map((i) => [i.start, i.end])).toEqual([
      ['2026-12-07T08:00:00.000Z', '2026-12-07T08:15:00.000Z'],
      ['2026-12-07T09:00:00.000Z', '2026-12-07T10:00:00.000Z'],
      ['2026-12-08T08:00:00.000Z', '2026-12-08T09:00:00.000Z'],
      ['2026-12-08T23:00:00.000Z', '2026-12-09T23:00:00.000Z'],
      ['2026-12-10T15:00:00.000Z', '2026-12-10T15:15:00.000Z'],
      ['2026-12-11T08:00:00.000Z', '2026-12-11T08:15:00.000Z'],
      ['2026-12-11T10:00:00.000Z', '2026-12-11T11:00:00.000Z'],
    ]);
    const mondaySlots = availability.slots.filter((s) => s.start.startsWith('2026-12-07')).map((s) => s.start.slice(11, 16));
    // 09:00-17:00 Berlin = 08:00-16:00 UTC; hourly slots on the local grid, minus 08:00-08:15 and 09:00-10:00 UTC.
    expect(mondaySlots).toEqual(['10:00', '11:00', '12:00', '13:00', '14:00', '15:00']);
    expect(availability.slots.some((s) => s.start.startsWith('2026-12-09'))).toBe(false);

    await server.ok(UpdateSyncConfigDocument, { externalCalendarId: connectionId, input: { tentativeIsBusy: false, allDayIsBusy: false } });
    const relaxed = (await server.ok(AvailabilityDocument, { input: { resourceId, ...WEEK, slotMinutes: 60 } })).availability;
    // The holiday no longer blocks Wednesday; only its 09:00 stand-up (08:00Z) does.
    expect(relaxed.slots.filter((s) => s.start.startsWith('2026-12-09')).map((s) => s.start.slice(11, 16))).toEqual([
      '09:00',
      '10:00',
      '11:00',
      '12:00',
      '13:00',
      '14:00',
      '15:00',
    ]);
    expect(relaxed.slots.some((s) => s.start === '2026-12-08T08:00:00.000Z')).toBe(true);
    await server.ok(UpdateSyncConfigDocument, { externalCalendarId: connectionId, input: { tentativeIsBusy: true, allDayIsBusy: true } });

    expect(availability).toMatchObject({ fresh: false });
    expect(availability.syncedAt).toBeTruthy();
    // OnSched's syncExternal: the calendars are ingested over the window before the answer.
    const refreshed = (await server.ok(AvailabilityDocument, { input: { resourceId, ...WEEK, slotMinutes: 60, syncExternal: true } })).availability;
    expect(refreshed.fresh).toBe(true);
    expect(Date.parse(refreshed.syncedAt!)).toBeGreaterThan(Date.parse(availability.syncedAt!));
    expect(refreshed.busy).toEqual(availability.busy);

    const tooLong = await server.gql(AvailabilityDocument, { input: { resourceId, from: '2026-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' } });
    expect(tooLong.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.to' });
  });

  it('moves all-day events with the resource when its time zone changes', async () => {
    await server.ok(UpdateResourceDocument, { id: resourceId, input: { timeZone: 'America/New_York' } });
    const { externalEvents } = await server.ok(ListEventsDocument, { filter: { ...WEEK, resourceIds: [resourceId] }, first: 100 });
    const holiday = externalEvents.edges.find((edge) => edge.node.externalId === 'holiday@test')!.node;
    expect([holiday.startsAt, holiday.endsAt]).toEqual(['2026-12-09T05:00:00.000Z', '2026-12-10T05:00:00.000Z']);
    await server.ok(UpdateResourceDocument, { id: resourceId, input: { timeZone: 'Europe/Berlin' } });
  });

  it('removes an event deleted at the server and picks up a changed one on the next ingest', async () => {
    await radicale.deleteEvent(workCalendarUrl, 'meeting@test');
    await radicale.putEvent(workCalendarUrl, 'tentative@test', PERSONAL_CALENDAR.replace('dentist@test', 'tentative@test').replace('Dentist', 'Confirmed now'));
    const run = await server.finished((await server.ok(IngestDocument, { input: { externalCalendarId: connectionId, ...WEEK } })).ingestExternalEvents.id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', fetched: 9, upserted: 1, deleted: 1 });
    const { externalEvents } = await server.ok(ListEventsDocument, { filter: { ...WEEK, externalCalendarIds: [connectionId] }, first: 100 });
    const ids = externalEvents.edges.map((edge) => edge.node.externalId);
    expect(ids).not.toContain('meeting@test');
    expect(externalEvents.edges.find((edge) => edge.node.externalId === 'tentative@test')?.node).toMatchObject({
      title: 'Confirmed now',
      status: 'CONFIRMED',
      startsAt: '2026-12-11T10:00:00.000Z',
    });
  });

  it('syncs incrementally with sync-collection (RFC 6578): only changed objects travel, an expired token means a full sync', async () => {
    const sync = async (full = false) =>
      await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId, full })).syncExternalCalendar.id);
    // No cursor yet: the whole sync window (30 days back, 365 ahead) is read; the rows are already there.
    expect(await sync()).toMatchObject({ kind: 'INCREMENTAL', status: 'SUCCEEDED', fetched: 9, upserted: 0, deleted: 0 });
    expect(await sync()).toMatchObject({ status: 'SUCCEEDED', fetched: 0, upserted: 0, deleted: 0 });

    await radicale.deleteEvent(workCalendarUrl, 'free@test');
    expect(await sync()).toMatchObject({ status: 'SUCCEEDED', fetched: 0, upserted: 0, deleted: 1 });

    // The stand-up series shrinks to COUNT=2: Monday stays (Tuesday is an EXDATE), the moved
    // Thursday override stays, Wednesday and Friday go.
    await radicale.putEvent(workCalendarUrl, 'standup@test', STANDUP_SHORTENED);
    const shrunk = await sync();
    expect(shrunk).toMatchObject({ status: 'SUCCEEDED', fetched: 2, upserted: 0, deleted: 2 });
    const { externalEvents } = await server.ok(ListEventsDocument, { filter: { ...WEEK, externalCalendarIds: [connectionId] }, first: 100 });
    expect(externalEvents.edges.filter((edge) => edge.node.seriesId === 'standup@test').map((edge) => edge.node.startsAt)).toEqual([
      '2026-12-07T08:00:00.000Z',
      '2026-12-10T15:00:00.000Z',
    ]);

    await server.orm.em
      .getConnection()
      .execute(
        `update provider_calendar set sync_cursor = jsonb_set(sync_cursor::jsonb, '{token}', '"http://radicale.org/ns/sync/expired"')::text where external_calendar_id = ?`,
        [connectionId],
      );
    expect(await sync()).toMatchObject({ status: 'SUCCEEDED', error: null, fetched: 6, upserted: 0, deleted: 0 });
    expect(await sync(true)).toMatchObject({ kind: 'FULL', status: 'SUCCEEDED', fetched: 6, upserted: 0, deleted: 0 });
  });

  it('keeps no titles once private import is on', async () => {
    await server.ok(UpdateSyncConfigDocument, { externalCalendarId: connectionId, input: { privateImport: true } });
    const { externalEvents } = await server.ok(ListEventsDocument, { filter: { ...WEEK, externalCalendarIds: [connectionId] }, first: 100 });
    expect(externalEvents.edges.every((edge) => edge.node.title === null)).toBe(true);
    await server.finished((await server.ok(IngestDocument, { input: { externalCalendarId: connectionId, ...WEEK } })).ingestExternalEvents.id);
    const after = await server.ok(ListEventsDocument, { filter: { ...WEEK, externalCalendarIds: [connectionId] }, first: 100 });
    expect(after.externalEvents.edges.every((edge) => edge.node.title === null)).toBe(true);
    await server.ok(UpdateSyncConfigDocument, { externalCalendarId: connectionId, input: { privateImport: false } });
  });

  it("hides a tenant's connection, events and runs from another tenant", async () => {
    const other = (await server.createTenant('other')).apiKey;
    expect((await server.gql(GetExternalCalendarDocument, { id: connectionId }, other)).data?.externalCalendar).toBeNull();
    const events = await server.gql(ListEventsDocument, { filter: WEEK, first: 100 }, other);
    expect(events.data?.externalEvents.edges).toEqual([]);
    const ingest = await server.gql(IngestDocument, { input: { externalCalendarId: connectionId, ...WEEK } }, other);
    expect(ingest.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const disconnect = await server.gql(DisconnectDocument, { id: connectionId }, other);
    expect(disconnect.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('moves the connection to REAUTH_REQUIRED when the password stops working', async () => {
    // Radicale re-reads htpasswd on every request: the account's password changes under us.
    await radicale.setPassword('changed');
    try {
      const run = await server.finished((await server.ok(IngestDocument, { input: { externalCalendarId: connectionId, ...WEEK } })).ingestExternalEvents.id);
      expect(run).toMatchObject({ status: 'FAILED', errorCode: 'PROVIDER_AUTH_REQUIRED' });
      expect(run.error).toMatch(/refused the credentials/);
      const { externalCalendar } = await server.ok(GetExternalCalendarDocument, { id: connectionId });
      expect(externalCalendar).toMatchObject({ status: 'REAUTH_REQUIRED' });
      expect(externalCalendar?.lastError).toMatch(/refused the credentials/);
      // What was stored stays.
      expect(await countRows('external_event')).toBe(6);
    } finally {
      await radicale.setPassword(radicale.password);
    }
  });

  it('fails only the calendar that disappeared: the other one syncs, the connection stays CONNECTED, the gone one says why', async () => {
    await radicale.deleteCalendar(`${radicale.url}alice/personal/`);
    await radicale.putEvent(workCalendarUrl, 'late@test', LATE_MEETING);
    const run = await server.finished((await server.ok(IngestDocument, { input: { externalCalendarId: connectionId, ...WEEK } })).ingestExternalEvents.id);
    expect(run).toMatchObject({ status: 'FAILED', errorCode: 'NOT_FOUND' });
    expect(run.error).toMatch(/calendar '[^']*personal'.*HTTP 404 to PROPFIND .*personal\//);
    const { externalCalendar } = await server.ok(GetExternalCalendarDocument, { id: connectionId });
    expect(externalCalendar).toMatchObject({ status: 'CONNECTED' });
    const calendars = Object.fromEntries(externalCalendar!.providerCalendars.map((calendar) => [calendar.providerCalendarId.split('/').at(-2)!, calendar]));
    expect(calendars.personal.lastError).toMatch(/HTTP 404/);
    expect(calendars.work.lastError).toBeNull();
    // The work calendar synced on: its new event is stored, and the personal one's are kept.
    expect(await countRows('external_event')).toBe(7);
    await radicale.deleteEvent(workCalendarUrl, 'late@test');
    await radicale.putCalendar('personal', PERSONAL_CALENDAR);
    const recovered = await server.finished(
      (await server.ok(IngestDocument, { input: { externalCalendarId: connectionId, ...WEEK } })).ingestExternalEvents.id,
    );
    expect(recovered.status).toBe('SUCCEEDED');
    const after = (await server.ok(GetExternalCalendarDocument, { id: connectionId })).externalCalendar!;
    expect(after).toMatchObject({ status: 'CONNECTED', lastError: null });
    expect(after.providerCalendars.map((calendar) => calendar.lastError)).toEqual([null, null]);
  });

  it('a full sync lists the calendars first: one deleted at the server is marked removed and stops syncing, and comes back when it is back', async () => {
    await radicale.deleteCalendar(`${radicale.url}alice/personal/`);
    const full = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId, full: true })).syncExternalCalendar.id);
    expect(full).toMatchObject({ status: 'SUCCEEDED', error: null });
    const removed = (await server.ok(GetExternalCalendarDocument, { id: connectionId })).externalCalendar!.providerCalendars.find((c) =>
      c.providerCalendarId.endsWith('/personal/'),
    )!;
    expect(removed).toMatchObject({ read: true, write: false, lastError: 'The provider no longer lists this calendar' });
    expect(removed.removedAt).not.toBeNull();
    const [{ count }] = await server.orm.em
      .getConnection()
      .execute('select count(*)::int as count from external_event where provider_calendar_id = ?', [removed.id]);
    expect(count).toBe(0);
    await radicale.putCalendar('personal', PERSONAL_CALENDAR);
    expect(
      (await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId, full: true })).syncExternalCalendar.id)).status,
    ).toBe('SUCCEEDED');
    const back = (await server.ok(GetExternalCalendarDocument, { id: connectionId })).externalCalendar!.providerCalendars.find((c) => c.id === removed.id)!;
    expect(back).toMatchObject({ read: true, removedAt: null, lastError: null });
    const [{ again }] = await server.orm.em
      .getConnection()
      .execute('select count(*)::int as again from external_event where provider_calendar_id = ?', [removed.id]);
    expect(again).toBe(1);
  });

  it('disconnects: forgets the credentials and the cached events stop blocking', async () => {
    const { disconnectExternalCalendar } = await server.ok(DisconnectDocument, { id: connectionId });
    expect(disconnectExternalCalendar).toEqual({ id: connectionId, status: 'DISCONNECTED', providerCalendars: [] });
    expect(await countRows('external_event')).toBe(0);
    const [{ credentials }] = await server.orm.em.getConnection().execute('select credentials from external_calendar where id = ?', [connectionId]);
    expect(credentials).toBeNull();
    const { availability } = await server.ok(AvailabilityDocument, { input: { resourceId, ...WEEK, slotMinutes: 60 } });
    expect(availability.busy).toEqual([]);
    expect(availability.slots).toHaveLength(5 * 8);
    const ingest = await server.gql(IngestDocument, { input: { resourceId, ...WEEK } });
    expect(ingest.errors?.[0]?.extensions).toEqual({ code: 'FAILED_PRECONDITION', field: 'input.resourceId' });
  });
});
