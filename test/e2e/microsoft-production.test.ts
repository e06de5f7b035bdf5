import { exportSettled } from '../helpers/export-settled';
import {
  ConnectOAuthDocument,
  CreateAppointmentDocument,
  CreateResourceDocument,
  GetExternalCalendarDocument,
  ListEventsDocument,
  RescheduleAppointmentDocument,
  SelectCalendarsDocument,
  SyncCalendarDocument,
  UpdateSyncConfigDocument,
} from '../graphql/generated';
import { microsoftEnv, startGraphFake, type GraphFake } from '../fakes/microsoft/graph-fake';
import { oauthDance } from '../helpers/oauth-dance';
import { buildGateway, gatewayEnv, startGatewayProcess, until, type GatewayProcess } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** An ISO instant `hour` hours after the UTC midnight after tomorrow. */
const slot = (hour: number) => new Date(Math.ceil((Date.now() + DAY) / DAY) * DAY + hour * HOUR).toISOString();

/**
 * Microsoft Graph as documented rather than as it happens to behave: exports that mail nobody
 * unless asked, a create that is exactly once without relying on transactionId, the v1.0 paths
 * for primary and other calendars, a delta round whose skip token expires half-way, and a mailbox
 * Graph cannot serve.
 */
describe('Microsoft 365 as documented', () => {
  let graph: GraphFake;
  let server: TestServer;
  let env: Record<string, string>;
  let resourceId: string;
  let connectionId: string;
  let teamCalendarId: string;
  const workers: GatewayProcess[] = [];

  beforeAll(async () => {
    buildGateway();
    graph = await startGraphFake();
    env = gatewayEnv(microsoftEnv(graph));
    // The API alone: syncs and exports run in the worker processes the tests start.
    server = await startTestServer({ env, worker: false });
    workers.push(startGatewayProcess(['worker'], env));
    teamCalendarId = graph.addCalendar({ name: 'Team' });
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Dr. Okafor', timeZone: 'Europe/London' } })).createResource.id;
    const { connectExternalCalendar } = await server.ok(ConnectOAuthDocument, { input: { resourceId, provider: 'MICROSOFT' } });
    connectionId = connectExternalCalendar.externalCalendar.id;
    await oauthDance(connectExternalCalendar.authUrl);
    const calendars = (await server.ok(GetExternalCalendarDocument, { id: connectionId })).externalCalendar!.providerCalendars;
    const primary = calendars.find((calendar) => calendar.primary)!;
    await server.ok(SelectCalendarsDocument, {
      input: { externalCalendarId: connectionId, readCalendarIds: calendars.map((calendar) => calendar.id), writeCalendarId: primary.id },
    });
  }, 120_000);
  afterAll(async () => {
    for (const worker of workers) await worker.stop('SIGKILL');
    await server?.close();
    await graph?.close();
  });

  const settled = (id: string, version: number) => exportSettled(server, id, 'EXPORTED', version);
  const book = async (hour: number, title: string) =>
    (
      await server.ok(CreateAppointmentDocument, {
        input: { resourceId, startsAt: slot(hour), endsAt: slot(hour + 1), title, attendees: [{ email: 'pat@example.com', name: 'Pat' }] },
      })
    ).createAppointment;
  const liveEvent = (id: string) => graph.events(graph.defaultCalendarId).find((event) => event.id === id && !event.deleted)!;
  const sync = async (full: boolean) => {
    const run = (await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId, full })).syncExternalCalendar;
    return server.finished(run.id);
  };
  const titles = async () =>
    (
      await server.ok(ListEventsDocument, {
        filter: { from: new Date(Date.now() - DAY).toISOString(), to: new Date(Date.now() + 30 * DAY).toISOString(), externalCalendarIds: [connectionId] },
        first: 100,
      })
    ).externalEvents.edges
      .map((edge) => edge.node.title)
      .sort();

  it('exports without mailing the attendees (listed in the body), and lets Outlook invite them when inviteAttendees is on', async () => {
    const quiet = await book(9, 'Check-up');
    const exported = await settled(quiet.id, 0);
    expect(liveEvent(exported.providerEventId!).resource).toMatchObject({
      attendees: [],
      body: { contentType: 'text', content: 'Attendees: Pat <pat@example.com>' },
    });
    expect(graph.mailSent).toEqual([]);

    const { updateSyncConfig } = await server.ok(UpdateSyncConfigDocument, { externalCalendarId: connectionId, input: { inviteAttendees: true } });
    expect(updateSyncConfig.inviteAttendees).toBe(true);
    const invited = await book(12, 'Consultation');
    const sent = await settled(invited.id, 0);
    expect(graph.mailSent).toEqual([{ kind: 'invitation', eventId: sent.providerEventId, to: ['pat@example.com'] }]);
    await server.ok(RescheduleAppointmentDocument, { input: { id: invited.id, startsAt: slot(13), endsAt: slot(14) } });
    await settled(invited.id, 1);
    expect(graph.mailSent.map((mail) => mail.kind)).toEqual(['invitation', 'update']);
    await server.ok(UpdateSyncConfigDocument, { externalCalendarId: connectionId, input: { inviteAttendees: false } });
  }, 120_000);

  it('creates exactly once when the worker dies after Graph stored the event and the appointment changes before the retry', async () => {
    const first = workers[0]!;
    let killed = false;
    graph.onWrite = async (method) => {
      if (method !== 'POST' || killed) return;
      killed = true;
      await first.stop('SIGKILL');
      throw new Error('worker killed');
    };
    const created = await book(16, 'Survives a crash');
    await until('the worker to be killed mid-export', async () => killed && first.child.signalCode !== null);
    graph.onWrite = undefined;
    const marked = () =>
      graph
        .events(graph.defaultCalendarId)
        .filter((event) => !event.deleted && event.singleValueExtendedProperties.some((property) => property.value === created.id));
    expect(marked()).toHaveLength(1);
    // The retry carries other content than the POST Graph stored: Graph documents transactionId
    // only against identical retries, and the fake creates a second event for this one.
    await server.ok(RescheduleAppointmentDocument, { input: { id: created.id, startsAt: slot(17), endsAt: slot(18) } });

    workers.push(startGatewayProcess(['worker'], env));
    const exported = await settled(created.id, 1);
    expect(marked().map((event) => event.id)).toEqual([exported.providerEventId]);
    expect(marked()[0]!.resource.start).toMatchObject({ dateTime: `${slot(17).slice(0, 19)}.0000000` });
  }, 120_000);

  it('reads the primary calendar by calendarView delta and another calendar by calendarView, which notices removals', async () => {
    graph.addEvent(graph.defaultCalendarId, { subject: 'Primary meeting', start: slot(20), end: slot(21) });
    const gone = graph.addEvent(teamCalendarId, { subject: 'Team stand-up', start: slot(22), end: slot(23) });
    graph.addEvent(teamCalendarId, { subject: 'Team retro', start: slot(24), end: slot(25) });
    const before = graph.requests.length;
    expect(await sync(true)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await titles()).toEqual(expect.arrayContaining(['Primary meeting', 'Team retro', 'Team stand-up']));
    const paths = graph.requests.slice(before).map((request) => request.path.split('?')[0]);
    expect(paths).toContain('/v1.0/me/calendarView/delta');
    expect(paths).toContain(`/v1.0/me/calendars/${encodeURIComponent(teamCalendarId)}/calendarView`);
    expect(paths.some((path) => /\/calendars\/[^/]+\/calendarView\/delta/.test(path))).toBe(false);

    graph.deleteEvent(teamCalendarId, gone);
    expect(await sync(false)).toMatchObject({ status: 'SUCCEEDED' });
    const after = await titles();
    expect(after).toContain('Team retro');
    expect(after).not.toContain('Team stand-up');
  }, 120_000);

  it('begins a full round again when Graph forgets its skip token half-way, and the run succeeds', async () => {
    for (let i = 0; i < 1_200; i++) graph.addEvent(graph.defaultCalendarId, { subject: `Bulk ${i}`, start: slot(30 + i / 10), end: slot(30.05 + i / 10) });
    graph.expireDeltaTokensAfter(1);
    const before = graph.requests.length;
    const run = await sync(true);
    expect(run).toMatchObject({ status: 'SUCCEEDED' });
    const deltaStatuses = graph.requests
      .slice(before)
      .filter((request) => request.path.startsWith('/v1.0/me/calendarView/delta'))
      .map((request) => request.status);
    expect(deltaStatuses).toContain(410);
    expect(deltaStatuses.at(-1)).toBe(200);
    const [{ n }] = (await server.orm.em
      .getConnection()
      .execute(`select count(*)::int as n from external_event where external_calendar_id = ? and title like 'Bulk %'`, [connectionId])) as { n: number }[];
    expect(n).toBe(1_200);
  }, 120_000);

  it('says so when the mailbox is inactive, soft-deleted or on-premises', async () => {
    graph.failNext(1, {
      status: 404,
      code: 'MailboxNotEnabledForRESTAPI',
      message: 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
    });
    const run = await sync(false);
    expect(run.status).not.toBe('SUCCEEDED');
    const text = JSON.stringify(run);
    expect(text).toContain('inactive, soft-deleted or hosted on-premises');
  }, 120_000);
});
