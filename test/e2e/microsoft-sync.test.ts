import {
  ConnectOAuthDocument,
  CreateResourceDocument,
  DisconnectDocument,
  GetExternalCalendarDocument,
  ListEventsDocument,
  ProvidersDocument,
  RegenerateAuthUrlDocument,
  SelectCalendarsDocument,
  SyncCalendarDocument,
} from '../graphql/generated';
import type { OAuthTokens } from '../../src/providers/provider';
import { microsoftEnv, startGraphFake, type GraphFake } from '../fakes/microsoft/graph-fake';
import { followCallback, oauthDance } from '../helpers/oauth-dance';
import { startTestServer, type TestServer } from '../helpers/test-server';

const DAY = 86_400_000;
const CLIENT_SITE = 'https://booking.example/calendars/done';

/** An instant `days` from now at the given UTC hour, as Graph answers it (ISO, UTC). */
function at(days: number, hour: number): string {
  const date = new Date(Date.now() + days * DAY);
  date.setUTCHours(hour, 0, 0, 0);
  return date.toISOString();
}

describe('Microsoft 365 end to end: OAuth connect, delta sync, throttling, revoked grant, disconnect', () => {
  let graph: GraphFake;
  let server: TestServer;
  let resourceId: string;
  let connectionId: string;
  const window = () => ({ from: new Date(Date.now() - 40 * DAY).toISOString(), to: new Date(Date.now() + 300 * DAY).toISOString() });

  beforeAll(async () => {
    graph = await startGraphFake();
    server = await startTestServer({
      env: {
        ...microsoftEnv(graph),
      },
    });
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Dr. Grace', timeZone: 'Europe/London' } })).createResource.id;
  });
  afterAll(async () => {
    await server?.close();
    await graph?.close();
  });

  const listEvents = async () =>
    (await server.ok(ListEventsDocument, { filter: { ...window(), externalCalendarIds: [connectionId] }, first: 100 })).externalEvents.edges.map(
      (edge) => edge.node,
    );
  const connection = async () => (await server.ok(GetExternalCalendarDocument, { id: connectionId })).externalCalendar!;

  it('lists Microsoft as available when its OAuth app is configured', async () => {
    const { providers } = await server.ok(ProvidersDocument);
    expect(providers.find((p) => p.id === 'MICROSOFT')).toMatchObject({ available: true, connectMethods: ['OAUTH'] });
  });

  it('walks the OAuth dance: PENDING, consent, callback, CONNECTED with the calendars discovered', async () => {
    graph.addCalendar({ name: 'Team', hexColor: '#00aa00', canEdit: false });
    const { connectExternalCalendar } = await server.ok(ConnectOAuthDocument, { input: { resourceId, provider: 'MICROSOFT', redirectUrl: CLIENT_SITE } });
    connectionId = connectExternalCalendar.externalCalendar.id;
    expect(connectExternalCalendar.externalCalendar).toMatchObject({ provider: 'MICROSOFT', status: 'PENDING', accountEmail: null });

    const authUrl = new URL(connectExternalCalendar.authUrl);
    expect(authUrl.origin + authUrl.pathname).toBe(`${graph.url}/common/oauth2/v2.0/authorize`);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('redirect_uri')).toBe(`${server.url}/oauth/callback`);
    expect(authUrl.searchParams.get('scope')).toContain('offline_access');

    const dance = await oauthDance(connectExternalCalendar.authUrl);
    expect(dance.callbackStatus).toBe(302);
    expect(`${dance.finalUrl!.origin}${dance.finalUrl!.pathname}`).toBe(CLIENT_SITE);
    expect(Object.fromEntries(dance.finalUrl!.searchParams)).toEqual({ externalCalendarId: connectionId, status: 'CONNECTED' });

    const connected = await connection();
    expect(connected).toMatchObject({ status: 'CONNECTED', accountEmail: graph.user.mail, lastError: null });
    expect(connected.providerCalendars.map((c) => [c.name, c.primary, c.canWrite]).sort()).toEqual([
      ['Calendar', true, true],
      ['Team', false, false],
    ]);

    // The state was single-use: replaying the callback is refused and changes nothing.
    const replay = await followCallback(dance.callbackUrl);
    expect(replay).toEqual({ finalUrl: null, callbackStatus: 400 });
    const [{ credentials }] = await server.orm.em.getConnection().execute('select credentials from external_calendar where id = ?', [connectionId]);
    expect(credentials).toMatch(/^v1\./);
  });

  it('refuses a read-only calendar as the write calendar with BAD_USER_INPUT naming it', async () => {
    const { providerCalendars } = await connection();
    const team = providerCalendars.find((c) => c.name === 'Team')!;
    const result = await server.gql(SelectCalendarsDocument, {
      input: { externalCalendarId: connectionId, readCalendarIds: [team.id], writeCalendarId: team.id },
    });
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.writeCalendarId' });
    expect(result.errors?.[0]?.message).toMatch(/'Team' is read-only/);
  });

  it('syncs the window fully first, then exactly the changes through the deltaLink', async () => {
    const ids = Array.from({ length: 30 }, (_, i) =>
      graph.addEvent(graph.defaultCalendarId, { subject: `Visit ${i}`, start: at(1 + i, 9), end: at(1 + i, 10) }),
    );
    graph.addEvent(graph.defaultCalendarId, { subject: 'Lunch (free)', start: at(2, 12), end: at(2, 13), showAs: 'free' });
    graph.addEvent(graph.defaultCalendarId, { subject: 'Declined', start: at(3, 12), end: at(3, 13), response: 'declined' });
    const primary = (await connection()).providerCalendars.find((c) => c.primary)!;
    await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: connectionId, readCalendarIds: [primary.id], writeCalendarId: primary.id } });

    const first = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId })).syncExternalCalendar.id);
    expect(first).toMatchObject({ kind: 'INCREMENTAL', status: 'SUCCEEDED', fetched: 31, upserted: 31, deleted: 0, errorCode: null });
    const events = await listEvents();
    expect(events).toHaveLength(31);
    expect(events.find((e) => e.title === 'Lunch (free)')?.transparency).toBe('TRANSPARENT');
    expect(events.some((e) => e.title === 'Declined')).toBe(false);

    graph.updateEvent(graph.defaultCalendarId, ids[0], { subject: 'Visit 0 (moved)', start: at(1, 14), end: at(1, 15) });
    graph.deleteEvent(graph.defaultCalendarId, ids[1]);
    graph.addEvent(graph.defaultCalendarId, { subject: 'New visit', start: at(5, 16), end: at(5, 17) });
    const requestsBefore = graph.requestCount('/calendarView/delta');
    const second = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId })).syncExternalCalendar.id);
    expect(second).toMatchObject({ status: 'SUCCEEDED', fetched: 2, upserted: 2, deleted: 1 });
    expect(graph.requestCount('/calendarView/delta') - requestsBefore).toBe(1);
    const titles = (await listEvents()).map((e) => e.title);
    expect(titles).toContain('Visit 0 (moved)');
    expect(titles).toContain('New visit');
    expect(titles).not.toContain('Visit 1');
    expect(titles).toHaveLength(31);
  });

  it('falls back to a full sync of the window when the delta token expired', async () => {
    graph.expireDeltaTokens();
    const run = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId })).syncExternalCalendar.id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', fetched: 31, upserted: 0, deleted: 0, error: null });
  });

  it('rides out throttling (429 with Retry-After), and fails as PROVIDER_UNAVAILABLE when 503 persists, staying CONNECTED', async () => {
    graph.failNext(2, { status: 429, retryAfter: 1 });
    const started = Date.now();
    const throttled = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId })).syncExternalCalendar.id);
    expect(throttled.status).toBe('SUCCEEDED');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);

    // withRetry makes 5 attempts in all: all of them meet a 503.
    graph.failNext(5, { status: 503 });
    const down = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId })).syncExternalCalendar.id);
    expect(down).toMatchObject({ status: 'FAILED', errorCode: 'PROVIDER_UNAVAILABLE' });
    expect(await connection()).toMatchObject({ status: 'CONNECTED' });
  });

  it('refreshes an access token about to expire before using it, and keeps the rotated refresh token', async () => {
    const sql = server.orm.em.getConnection();
    const [{ credentials }] = await sql.execute('select credentials from external_calendar where id = ?', [connectionId]);
    const tokens = server.secrets.openJson<OAuthTokens>(credentials);
    expect(tokens.refreshToken).toBeTruthy();
    await sql.execute('update external_calendar set credentials = ? where id = ?', [
      server.secrets.sealJson({ ...tokens, expiresAt: Date.now() + 60_000 }),
      connectionId,
    ]);

    const before = graph.requestCount('/oauth2/v2.0/token');
    const run = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId })).syncExternalCalendar.id);
    expect(run.status).toBe('SUCCEEDED');
    expect(graph.requestCount('/oauth2/v2.0/token') - before).toBe(1);
    const [{ credentials: refreshed }] = await sql.execute('select credentials from external_calendar where id = ?', [connectionId]);
    const stored = server.secrets.openJson<OAuthTokens>(refreshed);
    expect(stored.refreshToken).not.toBe(tokens.refreshToken);
    expect(stored.accessToken).not.toBe(tokens.accessToken);
    expect(stored.expiresAt).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  it('moves a revoked grant to REAUTH_REQUIRED, stops syncing it, and reconnects through regenerateAuthUrl', async () => {
    graph.revokeGrant();
    const run = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId })).syncExternalCalendar.id);
    expect(run).toMatchObject({ status: 'FAILED', errorCode: 'PROVIDER_AUTH_REQUIRED' });
    const revoked = await connection();
    expect(revoked.status).toBe('REAUTH_REQUIRED');
    expect(revoked.lastError).toMatch(/reconnect/i);
    expect((await listEvents()).length).toBe(31);

    const refused = await server.gql(SyncCalendarDocument, { externalCalendarId: connectionId });
    expect(refused.errors?.[0]?.extensions).toEqual({ code: 'FAILED_PRECONDITION', field: 'externalCalendarId' });

    const { regenerateAuthUrl } = await server.ok(RegenerateAuthUrlDocument, { externalCalendarId: connectionId });
    const dance = await oauthDance(regenerateAuthUrl.authUrl);
    expect(dance.finalUrl?.searchParams.get('status')).toBe('CONNECTED');
    const again = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId })).syncExternalCalendar.id);
    expect(again.status).toBe('SUCCEEDED');

    const notNeeded = await server.gql(RegenerateAuthUrlDocument, { externalCalendarId: connectionId });
    expect(notNeeded.errors?.[0]?.extensions?.code).toBe('FAILED_PRECONDITION');
  });

  it('reports denied consent on a page linking back to the client, without a redirect, and leaves the connection PENDING', async () => {
    const { connectExternalCalendar } = await server.ok(ConnectOAuthDocument, { input: { resourceId, provider: 'MICROSOFT', redirectUrl: CLIENT_SITE } });
    graph.denyConsent();
    const consent = await fetch(connectExternalCalendar.authUrl, { redirect: 'manual' });
    const response = await fetch(consent.headers.get('location')!, { redirect: 'manual' });
    expect([response.status, response.headers.get('location')]).toEqual([400, null]);
    const link = new URL(/href="([^"]+)"/.exec(await response.text())![1].replaceAll('&#38;', '&'));
    expect(`${link.origin}${link.pathname}`).toBe(CLIENT_SITE);
    expect(Object.fromEntries(link.searchParams)).toEqual({
      externalCalendarId: connectExternalCalendar.externalCalendar.id,
      status: 'PENDING',
      error: 'access_denied',
    });
  });

  it('answers a forged state with an HTML page and no redirect', async () => {
    const response = await fetch(`${server.url}/oauth/callback?code=abc&state=forged.state`, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/could not be connected \(invalid_state\)/);
  });

  it('disconnects: forgets the tokens and removes the cached events', async () => {
    const { disconnectExternalCalendar } = await server.ok(DisconnectDocument, { id: connectionId });
    expect(disconnectExternalCalendar.status).toBe('DISCONNECTED');
    expect(await listEvents()).toEqual([]);
    const [{ credentials }] = await server.orm.em.getConnection().execute('select credentials from external_calendar where id = ?', [connectionId]);
    expect(credentials).toBeNull();
  });
});

describe('an OAuth provider without configuration', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { MICROSOFT_CLIENT_ID: '', MICROSOFT_CLIENT_SECRET: '', GOOGLE_CLIENT_ID: '', GOOGLE_CLIENT_SECRET: '' } });
  });
  afterAll(() => server.close());

  it('is listed as unavailable and connecting to it is FAILED_PRECONDITION', async () => {
    const { providers } = await server.ok(ProvidersDocument);
    expect(providers.filter((p) => !p.available).map((p) => p.id)).toEqual(['GOOGLE', 'MICROSOFT']);
    const resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'x', timeZone: 'UTC' } })).createResource.id;
    const result = await server.gql(ConnectOAuthDocument, { input: { resourceId, provider: 'GOOGLE' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('FAILED_PRECONDITION');
    expect(result.errors?.[0]?.message).toMatch(/GOOGLE_CLIENT_ID/);
  });
});
