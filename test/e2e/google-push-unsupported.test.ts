import { CreateResourceDocument, GetExternalCalendarDocument, ListEventsDocument, SelectCalendarsDocument, SyncCalendarDocument } from '../graphql/generated';
import { ALL_SCOPES, googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { ProviderCalendar } from '../../src/modules/connections/provider-calendar.entity';
import { maintainPushChannels } from '../../src/modules/push/push-maintenance';
import { connectGoogle } from '../helpers/google-connection';
import { startTestServer, type TestServer } from '../helpers/test-server';

const HOLIDAYS = 'en.usa#holiday@group.v.calendar.google.com';
const OWNER = 'owner@example.com';

/**
 * Google takes no push channel on its holiday, birthday and week-number calendars (400
 * pushNotSupportedForRequestedResource): Calsync remembers it per calendar, stops asking, and
 * keeps polling the calendar on the normal schedule. https://developers.google.com/calendar/api/guides/push
 */
describe('Google calendars that cannot be watched: remembered, never asked again, polled', () => {
  let google: GoogleFake;
  let server: TestServer;
  let connectionId: string;
  const warnings: string[] = [];

  beforeAll(async () => {
    google = await startGoogleFake();
    server = await startTestServer({ env: googleEnv(google) });
    google.addCalendar({ id: OWNER, summary: 'Owner', primary: true, accessRole: 'owner', timeZone: 'UTC' });
    google.addCalendar({ id: HOLIDAYS, summary: 'Holidays in United States', accessRole: 'reader', timeZone: 'UTC' });
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const after = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    google.addEvent(HOLIDAYS, { id: 'holiday1', summary: 'A holiday', start: { date: tomorrow }, end: { date: after } });
    const resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Watched room', timeZone: 'UTC' } })).createResource.id;
    connectionId = await connectGoogle(server, resourceId);
    const calendars = (await server.ok(GetExternalCalendarDocument, { id: connectionId })).externalCalendar!.providerCalendars;
    await server.ok(SelectCalendarsDocument, {
      input: { externalCalendarId: connectionId, readCalendarIds: calendars.map((calendar) => calendar.id), writeCalendarId: null },
    });
  });
  afterAll(async () => {
    await server?.close();
    await google?.close();
  });

  const maintain = () =>
    maintainPushChannels(
      server.orm,
      server.deps,
      { warn: (message) => warnings.push(message) },
      { externalCalendarId: connectionId, tenantId: server.tenantId },
    );
  const watchesOf = (calendarId: string) => google.requestCount(`/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events/watch`);

  it('opens a channel on the owner calendar, is refused on the holidays, and remembers the refusal on that calendar', async () => {
    await maintain();
    // A pass queued by selectCalendars may run beside this one: compare calendars, not channels.
    expect([...new Set(google.channels.filter((channel) => !channel.stopped).map((channel) => channel.calendarId))]).toEqual([OWNER]);
    expect(watchesOf(HOLIDAYS)).toBeGreaterThanOrEqual(1);
    const row = await server.orm.em.fork().findOneOrFail(ProviderCalendar, { providerCalendarId: HOLIDAYS }, { filters: false });
    expect(row.pushUnsupportedAt).toBeInstanceOf(Date);
  });

  it('does not ask Google again on the next maintenance passes', async () => {
    const asked = watchesOf(HOLIDAYS);
    warnings.length = 0;
    await maintain();
    await maintain();
    expect(watchesOf(HOLIDAYS)).toBe(asked);
    expect(warnings).toEqual([]);
  });

  it('polls the holidays on the normal sync: their events block time', async () => {
    const run = (await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId, full: false })).syncExternalCalendar;
    expect((await server.finished(run.id)).status).toBe('SUCCEEDED');
    const window = { from: new Date().toISOString(), to: new Date(Date.now() + 5 * 86_400_000).toISOString() };
    const events = await server.ok(ListEventsDocument, { filter: { ...window, externalCalendarIds: [connectionId] }, first: 10 });
    expect(events.externalEvents.edges.map((edge) => edge.node.title)).toContain('A holiday');
  });

  it('the fake refuses a plain-http watch address that is not loopback, as Google wants https', async () => {
    const { accessToken } = google.issueTokens(ALL_SCOPES);
    const response = await fetch(`${google.url}/calendar/v3/calendars/${encodeURIComponent(OWNER)}/events/watch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'plain-http', type: 'web_hook', address: 'http://push.example.com/webhooks/google' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { errors: Array<{ reason: string }> } }).error.errors[0].reason).toBe('push.webhookUrlNotHttps');
  });
});
