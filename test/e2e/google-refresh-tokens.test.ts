import {
  ConnectOAuthDocument,
  CreateResourceDocument,
  DisconnectDocument,
  GetExternalCalendarDocument,
  RegenerateAuthUrlDocument,
  SyncCalendarDocument,
} from '../graphql/generated';
import { googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { connectGoogle } from '../helpers/google-connection';
import { oauthDance } from '../helpers/oauth-dance';
import { startTestServer, type TestServer } from '../helpers/test-server';

const DAY = 86_400_000;
const OWNER = 'owner@example.com';

/**
 * Google's refresh tokens (https://developers.google.com/identity/protocols/oauth2#expiration):
 * capped per account and client (the oldest silently stop working), sent only on an account's
 * first consent or a forced one, 7 days long for a Testing-mode app. Calsync forces consent only
 * when the tenant holds no working refresh token for the account, and shows invalid_grant as
 * REAUTH_REQUIRED with Google's reason.
 */
describe('Google refresh tokens: consent forced only when needed, invalid_grant shown as REAUTH_REQUIRED', () => {
  let google: GoogleFake;
  let server: TestServer;

  beforeAll(async () => {
    google = await startGoogleFake({ refreshTokenLimit: 2, testingMode: true });
    server = await startTestServer({ env: googleEnv(google) });
    google.addCalendar({ id: OWNER, summary: 'Owner', primary: true, accessRole: 'owner', timeZone: 'UTC' });
  });
  afterAll(async () => {
    await server?.close();
    await google?.close();
  });

  const newResource = async (name: string, apiKey?: string) => {
    const result = await server.gql(CreateResourceDocument, { input: { name, timeZone: 'UTC' } }, apiKey);
    return result.data!.createResource.id;
  };
  const sync = async (externalCalendarId: string) => {
    const run = (await server.ok(SyncCalendarDocument, { externalCalendarId, full: false })).syncExternalCalendar;
    return server.finished(run.id);
  };
  const connection = async (id: string) => (await server.ok(GetExternalCalendarDocument, { id })).externalCalendar!;

  const connections: string[] = [];

  it('connects one account to three resources with a cap of two refresh tokens, and all three keep syncing', async () => {
    for (const name of ['Room A', 'Room B', 'Room C']) connections.push(await connectGoogle(server, await newResource(name)));
    // No connect forced consent: only the first one got a refresh token from Google.
    expect(google.requests.filter((request) => request.path === '/o/oauth2/v2/auth').map((request) => request.query.get('prompt'))).toEqual([null, null, null]);
    for (const id of connections) {
      expect((await sync(id)).status).toBe('SUCCEEDED');
      expect((await connection(id)).status).toBe('CONNECTED');
    }
  });

  it('disconnecting one of them leaves the shared grant alone: the others still sync', async () => {
    await server.ok(DisconnectDocument, { id: connections[2] });
    expect(google.requestCount('/revoke')).toBe(0);
    expect((await sync(connections[0])).status).toBe('SUCCEEDED');
  });

  it('in another tenant, the account that consented before is sent to a forced consent page (login_hint), then connects', async () => {
    const other = await server.createTenant('Other clinic');
    const resourceId = await newResource('Room Z', other.apiKey);
    const started = await server.gql(ConnectOAuthDocument, { input: { resourceId, provider: 'GOOGLE' } }, other.apiKey);
    const { authUrl, externalCalendar } = started.data!.connectExternalCalendar;
    expect(new URL(authUrl).searchParams.get('prompt')).toBeNull();
    const first = await oauthDance(authUrl);
    // Google sent no refresh token and the tenant has none for the account: consent is forced.
    const forced = first.finalUrl!;
    expect(forced.pathname).toBe('/o/oauth2/v2/auth');
    expect(forced.searchParams.get('prompt')).toBe('consent');
    expect(forced.searchParams.get('login_hint')).toBe(OWNER);
    const pending = await server.gql(GetExternalCalendarDocument, { id: externalCalendar.id }, other.apiKey);
    expect(pending.data!.externalCalendar!.status).toBe('PENDING');
    await oauthDance(forced.toString());
    const connected = await server.gql(GetExternalCalendarDocument, { id: externalCalendar.id }, other.apiKey);
    expect(connected.data!.externalCalendar!.status).toBe('CONNECTED');
  });

  it('a Testing-mode refresh token 7 days old is invalid_grant: REAUTH_REQUIRED with the reason, and a forced consent mends it', async () => {
    google.advanceClock(8 * DAY);
    const run = await sync(connections[0]);
    expect(run.status).toBe('FAILED');
    const refused = await connection(connections[0]);
    expect(refused.status).toBe('REAUTH_REQUIRED');
    expect(refused.lastError).toContain('Token has been expired or revoked.');

    const { regenerateAuthUrl } = await server.ok(RegenerateAuthUrlDocument, { externalCalendarId: connections[0] });
    const url = new URL(regenerateAuthUrl.authUrl);
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('login_hint')).toBe(OWNER);
    await oauthDance(regenerateAuthUrl.authUrl);
    expect((await connection(connections[0])).status).toBe('CONNECTED');
    expect((await sync(connections[0])).status).toBe('SUCCEEDED');
  });
});
