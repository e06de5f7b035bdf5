import {
  ConnectOAuthDocument,
  CreateResourceDocument,
  DisconnectDocument,
  GetExternalCalendarDocument,
  ListEventsDocument,
  RefreshCalendarsDocument,
  SelectCalendarsDocument,
  SyncCalendarDocument,
  type ListEventsQuery,
} from '../graphql/generated';
import { FAKE_ACCOUNT_EMAIL, googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { oauthDance } from '../helpers/oauth-dance';
import { startTestServer, type TestServer } from '../helpers/test-server';

const DAY = 86_400_000;
const EVENTS = 2_600;

/** RFC 3339 instant `minutes` after tomorrow 00:00 UTC. */
function at(minutes: number): string {
  const tomorrow = new Date(Date.now() + DAY);
  tomorrow.setUTCHours(0, 0, 0, 0);
  return new Date(tomorrow.getTime() + minutes * 60_000).toISOString();
}

describe('Google Calendar end to end: OAuth connect, paged first sync, syncToken, 410, revoke on disconnect', () => {
  let google: GoogleFake;
  let server: TestServer;
  let resourceId: string;
  let connectionId: string;
  const window = { from: new Date(Date.now() - 10 * DAY).toISOString(), to: new Date(Date.now() + 300 * DAY).toISOString() };

  beforeAll(async () => {
    google = await startGoogleFake();
    server = await startTestServer({
      env: {
        ...googleEnv(google),
      },
    });
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Room 1', kind: 'ROOM', timeZone: 'America/New_York' } })).createResource.id;
    google.addCalendar({
      id: 'owner@example.com',
      summary: 'Owner',
      primary: true,
      accessRole: 'owner',
      backgroundColor: '#9fe1e7',
      timeZone: 'America/New_York',
    });
    google.addCalendar({ id: 'holidays@group.v.calendar.google.com', summary: 'Holidays', accessRole: 'reader' });
    for (let i = 0; i < EVENTS; i++) {
      google.addEvent('owner@example.com', { id: `ev${i}`, summary: `Booking ${i}`, start: { dateTime: at(i * 60) }, end: { dateTime: at(i * 60 + 30) } });
    }
    google.addSeries('owner@example.com', {
      id: 'standup',
      summary: 'Stand-up',
      start: at(-60 * 24 + 14 * 60),
      durationMinutes: 15,
      count: 3,
      timeZone: 'America/New_York',
    });
  });
  afterAll(async () => {
    await server?.close();
    await google?.close();
  });

  async function allEvents(): Promise<ListEventsQuery['externalEvents']['edges'][number]['node'][]> {
    const nodes: ListEventsQuery['externalEvents']['edges'][number]['node'][] = [];
    let after: string | null | undefined = null;
    do {
      const page: ListEventsQuery = await server.ok(ListEventsDocument, { filter: { ...window, externalCalendarIds: [connectionId] }, first: 100, after });
      nodes.push(...page.externalEvents.edges.map((edge) => edge.node));
      after = page.externalEvents.pageInfo.hasNextPage ? page.externalEvents.pageInfo.endCursor : null;
    } while (after);
    return nodes;
  }

  it('connects through the consent page and discovers the calendars with their access', async () => {
    const { connectExternalCalendar } = await server.ok(ConnectOAuthDocument, {
      input: { resourceId, provider: 'GOOGLE', redirectUrl: 'https://booking.example/done' },
    });
    connectionId = connectExternalCalendar.externalCalendar.id;
    const authUrl = new URL(connectExternalCalendar.authUrl);
    expect(Object.fromEntries(['access_type', 'code_challenge_method', 'response_type'].map((k) => [k, authUrl.searchParams.get(k)]))).toEqual({
      access_type: 'offline',
      code_challenge_method: 'S256',
      response_type: 'code',
    });

    const dance = await oauthDance(connectExternalCalendar.authUrl);
    expect(dance.finalUrl?.searchParams.get('status')).toBe('CONNECTED');
    const { externalCalendar } = await server.ok(GetExternalCalendarDocument, { id: connectionId });
    expect(externalCalendar).toMatchObject({ status: 'CONNECTED', accountEmail: FAKE_ACCOUNT_EMAIL });
    expect(externalCalendar!.providerCalendars.map((c) => [c.providerCalendarId, c.primary, c.canWrite]).sort()).toEqual([
      ['holidays@group.v.calendar.google.com', false, false],
      ['owner@example.com', true, true],
    ]);
    expect(externalCalendar!.providerCalendars.find((c) => c.primary)?.color).toBe('#9fe1e7');
    const owner = externalCalendar!.providerCalendars.find((c) => c.primary)!;
    await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: connectionId, readCalendarIds: [owner.id], writeCalendarId: owner.id } });
  });

  it(`syncs ${EVENTS} events and a recurring series across pages on the first run`, async () => {
    const run = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId })).syncExternalCalendar.id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', fetched: EVENTS + 3, upserted: EVENTS + 3, deleted: 0 });
    // maxResults is 2,500: two pages.
    expect(google.requests.filter((request) => request.path.endsWith('/events')).length).toBe(2);
    const events = await allEvents();
    expect(events).toHaveLength(EVENTS + 3);
    const standups = events.filter((e) => e.seriesId === 'standup');
    expect(standups).toHaveLength(3);
    expect(standups.every((e) => e.externalId.startsWith('standup_') && /^\d{8}T\d{6}Z$/.test(e.recurrenceId ?? ''))).toBe(true);
  });

  it('moves exactly the changed events with the syncToken', async () => {
    google.updateEvent('owner@example.com', 'ev0', { summary: 'Booking 0 (renamed)' });
    google.updateEvent('owner@example.com', 'ev1', { transparency: 'transparent' });
    google.deleteEvent('owner@example.com', 'ev2');
    google.addEvent('owner@example.com', { id: 'late', summary: 'Late booking', start: { dateTime: at(30) }, end: { dateTime: at(90) } });
    const run = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId })).syncExternalCalendar.id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', fetched: 3, upserted: 3, deleted: 1 });
    const byId = new Map((await allEvents()).map((e) => [e.externalId, e]));
    expect(byId.get('ev0')?.title).toBe('Booking 0 (renamed)');
    expect(byId.get('ev1')?.transparency).toBe('TRANSPARENT');
    expect(byId.has('ev2')).toBe(false);
    expect(byId.get('late')?.title).toBe('Late booking');
  });

  it('recovers from 410 Gone with a full sync of the window, never an error', async () => {
    google.expireSyncTokens();
    google.deleteEvent('owner@example.com', 'ev3');
    const run = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId })).syncExternalCalendar.id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', error: null, fetched: EVENTS + 3 - 2 + 1, upserted: 0, deleted: 1 });
  });

  it('connects a second account to the same resource; the write calendar moves between connections', async () => {
    const { connectExternalCalendar } = await server.ok(ConnectOAuthDocument, { input: { resourceId, provider: 'GOOGLE' } });
    const secondId = connectExternalCalendar.externalCalendar.id;
    const dance = await oauthDance(connectExternalCalendar.authUrl);
    expect([dance.finalUrl, dance.callbackStatus]).toEqual([null, 200]);
    const second = (await server.ok(GetExternalCalendarDocument, { id: secondId })).externalCalendar!;
    expect(second.status).toBe('CONNECTED');

    const writable = second.providerCalendars.find((c) => c.canWrite)!;
    await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: secondId, readCalendarIds: [], writeCalendarId: writable.id } });
    const first = (await server.ok(GetExternalCalendarDocument, { id: connectionId })).externalCalendar!;
    expect(first.providerCalendars.some((c) => c.write)).toBe(false);
    expect(first.providerCalendars.find((c) => c.primary)?.read).toBe(true);
    await server.ok(DisconnectDocument, { id: secondId });
  });

  it('lists the calendars again on refreshCalendars: a new one appears unselected, a removed one says so, the selection stays', async () => {
    google.addCalendar({ id: 'team@group.calendar.google.com', summary: 'Team', accessRole: 'writer' });
    google.removeCalendar('holidays@group.v.calendar.google.com');
    const { refreshCalendars } = await server.ok(RefreshCalendarsDocument, { externalCalendarId: connectionId });
    const byName = Object.fromEntries(refreshCalendars.providerCalendars.map((calendar) => [calendar.name, calendar]));
    expect(byName.Team).toMatchObject({ read: false, write: false, canWrite: true, removedAt: null });
    expect(byName.Holidays.removedAt).not.toBeNull();
    expect(byName.Owner).toMatchObject({ read: true, removedAt: null });
    const run = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId })).syncExternalCalendar.id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', upserted: 0, deleted: 0 });
  });

  it('revokes the grant at Google on disconnect and removes the cached events', async () => {
    const { disconnectExternalCalendar } = await server.ok(DisconnectDocument, { id: connectionId });
    expect(disconnectExternalCalendar.status).toBe('DISCONNECTED');
    // The second connection above is the same account in the same tenant: it shared this one's
    // grant, so its disconnect revoked nothing; this last one revokes it.
    expect(google.requestCount('/revoke')).toBe(1);
    expect(await allEvents()).toEqual([]);
  });
});
