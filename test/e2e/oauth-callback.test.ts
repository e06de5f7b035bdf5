import { ConnectOAuthDocument, CreateResourceDocument, GetExternalCalendarDocument } from '../graphql/generated';
import { microsoftEnv, startGraphFake, type GraphFake } from '../fakes/microsoft/graph-fake';
import { followCallback, oauthDance } from '../helpers/oauth-dance';
import { startTestServer, type TestServer } from '../helpers/test-server';

const CLIENT_SITE = 'https://booking.example/calendars/done';
const ATTACKER_TEXT = 'Your account is suspended, call +1 555 0100 <script>alert(1)</script>';

describe('GET /oauth/callback redirects only after a real answer of the provider', () => {
  let graph: GraphFake;
  let server: TestServer;
  let resourceId: string;

  beforeAll(async () => {
    graph = await startGraphFake();
    server = await startTestServer({ worker: false, env: { ...microsoftEnv(graph) } });
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Dr. Callback', timeZone: 'UTC' } })).createResource.id;
  });
  afterAll(async () => {
    await server?.close();
    await graph?.close();
  });

  /** A new PENDING connection with a redirectUrl: its consent URL and the state in it. */
  async function pending() {
    const { connectExternalCalendar } = await server.ok(ConnectOAuthDocument, { input: { resourceId, provider: 'MICROSOFT', redirectUrl: CLIENT_SITE } });
    return {
      authUrl: connectExternalCalendar.authUrl,
      state: new URL(connectExternalCalendar.authUrl).searchParams.get('state')!,
      id: connectExternalCalendar.externalCalendar.id,
    };
  }
  const callback = (params: Record<string, string>) => fetch(`${server.url}/oauth/callback?${new URLSearchParams(params)}`, { redirect: 'manual' });
  const statusOf = async (id: string) => (await server.ok(GetExternalCalendarDocument, { id })).externalCalendar!.status;

  it('never redirects with text from the request: a valid state with a made-up error answers a page naming a fixed code', async () => {
    const { state, id, authUrl } = await pending();
    const response = await callback({ state, error: ATTACKER_TEXT, error_description: ATTACKER_TEXT });
    expect([response.status, response.headers.get('location')]).toEqual([400, null]);
    const page = await response.text();
    expect(page).toContain('could not be connected (authorization_failed)');
    expect(page).not.toMatch(/suspended|555|<script/);
    expect(page).toContain(`error=authorization_failed`);
    expect(await statusOf(id)).toBe('PENDING');
    // The state was not used up: the owner's own consent still goes through, with a redirect.
    const dance = await oauthDance(authUrl);
    expect(dance.callbackStatus).toBe(302);
    expect(Object.fromEntries(dance.finalUrl!.searchParams)).toEqual({ externalCalendarId: id, status: 'CONNECTED' });
  });

  it('reports a declined consent with its RFC 6749 code on a page, and lets the owner consent again with the same link', async () => {
    const { authUrl, id } = await pending();
    graph.denyConsent();
    const declined = await oauthDance(authUrl);
    expect([declined.callbackStatus, declined.finalUrl]).toEqual([400, null]);
    expect(await statusOf(id)).toBe('PENDING');
    expect((await oauthDance(authUrl)).finalUrl!.searchParams.get('status')).toBe('CONNECTED');
  });

  it('answers a forged, expired or used state with a plain 400 page and no redirect, whatever else the URL carries', async () => {
    const { state, authUrl } = await pending();
    for (const params of <Record<string, string>[]>[{ state: 'forged.state', code: 'abc' }, { state: `${state}x`, error: 'access_denied' }, { code: 'abc' }]) {
      const response = await callback(params);
      expect([response.status, response.headers.get('location')]).toEqual([400, null]);
      expect(await response.text()).toContain('could not be connected (invalid_state)');
    }
    const dance = await oauthDance(authUrl);
    expect(dance.callbackStatus).toBe(302);
    expect(await followCallback(dance.callbackUrl)).toEqual({ finalUrl: null, callbackStatus: 400 });
    const expired = await pending();
    await server.orm.em.getConnection().execute(`update oauth_state set expires_at = now() - interval '1 minute' where external_calendar_id = ?`, [expired.id]);
    const late = await oauthDance(expired.authUrl);
    expect([late.callbackStatus, late.finalUrl]).toEqual([400, null]);
  });

  it('redirects with exchange_failed when the provider refuses the code, a real answer of the provider', async () => {
    const { state, id } = await pending();
    const response = await callback({ state, code: 'a-code-the-provider-never-issued' });
    expect(response.status).toBe(302);
    expect(Object.fromEntries(new URL(response.headers.get('location')!).searchParams)).toEqual({
      externalCalendarId: id,
      status: 'PENDING',
      error: 'exchange_failed',
    });
  });
});
