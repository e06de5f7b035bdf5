import { GraphQLError } from 'graphql';
import { createErrorFormatter } from '../../src/server/format-error';
import { withEdgeErrors, rateLimited } from '../../src/server/edge-errors';
import {
  ConnectByCredentialsDocument,
  ConnectOAuthDocument,
  CreateResourceDocument,
  DisconnectDocument,
  GetExternalCalendarDocument,
  SelectCalendarsDocument,
  SyncCalendarDocument,
} from '../graphql/generated';
import { FAKE_CLIENT_SECRET, googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { capturedLogLines } from '../helpers/log-capture';
import { scrape } from '../helpers/metrics';
import { oauthDance } from '../helpers/oauth-dance';
import { describeWithRadicale, startRadicale, type RadicaleServer } from '../helpers/radicale';
import { startTestServer, type TestServer } from '../helpers/test-server';

/** Everything the gateway's pino loggers write (the real logger, with its redaction), captured. */
const logLines = capturedLogLines;
jest.mock('pino', () => jest.requireActual('../helpers/log-capture').capturingPino());

describeWithRadicale('no token, password or API key in the logs (LOG_LEVEL=debug, full flows)', () => {
  let google: GoogleFake;
  let radicale: RadicaleServer;
  let server: TestServer;
  let resourceId: string;
  const secrets = new Map<string, string>();

  beforeAll(async () => {
    google = await startGoogleFake();
    radicale = await startRadicale();
    server = await startTestServer({ env: { ...googleEnv(google), LOG_LEVEL: 'debug' } });
    secrets.set('the API key', server.apiKey);
    secrets.set('the CalDAV password', radicale.password);
    secrets.set('the Google client secret', FAKE_CLIENT_SECRET);
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Dr. Logs', timeZone: 'Europe/Berlin' } })).createResource.id;
  });
  afterAll(async () => {
    await server?.close();
    await radicale?.stop();
    await google?.close();
  });

  /** The OAuth tokens sealed in the connection's credentials (access and refresh token). */
  async function storedTokens(connectionId: string): Promise<string[]> {
    const [{ credentials }] = await server.orm.em.getConnection().execute('select credentials from external_calendar where id = ?', [connectionId]);
    const opened = server.secrets.openJson<Record<string, unknown>>(credentials);
    return Object.values(opened).filter((value): value is string => typeof value === 'string' && value.length >= 16);
  }

  it('connects Google through OAuth, syncs and disconnects', async () => {
    google.addCalendar({ id: 'owner@example.com', summary: 'Owner', primary: true, accessRole: 'owner' });
    google.addEvent('owner@example.com', {
      id: 'ev1',
      summary: 'Booked',
      start: { dateTime: new Date(Date.now() + 86_400_000).toISOString() },
      end: { dateTime: new Date(Date.now() + 90_000_000).toISOString() },
    });
    const { connectExternalCalendar } = await server.ok(ConnectOAuthDocument, {
      input: { resourceId, provider: 'GOOGLE', redirectUrl: 'https://booking.example/done' },
    });
    const connectionId = connectExternalCalendar.externalCalendar.id;
    const dance = await oauthDance(connectExternalCalendar.authUrl);
    expect(dance.finalUrl?.searchParams.get('status')).toBe('CONNECTED');
    const authCode = new URL(dance.callbackUrl).searchParams.get('code');
    if (authCode) secrets.set('the OAuth authorization code', authCode);
    const tokens = await storedTokens(connectionId);
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    tokens.forEach((token, i) => secrets.set(`Google token ${i}`, token));

    const calendar = (await server.ok(GetExternalCalendarDocument, { id: connectionId })).externalCalendar!.providerCalendars[0];
    await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: connectionId, readCalendarIds: [calendar.id], writeCalendarId: calendar.id } });
    const run = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId })).syncExternalCalendar.id);
    expect(run.status).toBe('SUCCEEDED');
    // A revoked grant makes the next sync fail with invalid_grant: an error path that logs.
    google.revokeGrant();
    await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId })).syncExternalCalendar.id);
    await server.gql(DisconnectDocument, { id: connectionId });
  });

  it('connects CalDAV with a password (a wrong one first), syncs and disconnects', async () => {
    await radicale.putCalendar('work', 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n');
    const wrong = await server.gql(ConnectByCredentialsDocument, {
      input: { resourceId, provider: 'CALDAV', serverUrl: radicale.url, username: radicale.username, password: `${radicale.password} but wrong` },
    });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('PROVIDER_AUTH_REQUIRED');
    secrets.set('the wrong CalDAV password', `${radicale.password} but wrong`);

    const { connectExternalCalendarByCredentials: connection } = await server.ok(ConnectByCredentialsDocument, {
      input: { resourceId, provider: 'CALDAV', serverUrl: radicale.url, username: radicale.username, password: radicale.password },
    });
    const calendar = connection.providerCalendars[0];
    await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: connection.id, readCalendarIds: [calendar.id] } });
    const run = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connection.id })).syncExternalCalendar.id);
    expect(run.status).toBe('SUCCEEDED');
    // The password changes on the server: the next sync is refused and logged.
    await radicale.setPassword('another password');
    await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connection.id })).syncExternalCalendar.id);
    await server.gql(DisconnectDocument, { id: connection.id });
  });

  it('refuses an unknown API key without logging it', async () => {
    const unknown = `csk_${'Z'.repeat(40)}`;
    secrets.set('an unknown API key', unknown);
    expect((await server.gql(CreateResourceDocument, { input: { name: 'x', timeZone: 'UTC' } }, unknown)).status).toBe(401);
  });

  it('wrote debug logs, none of which holds a secret', () => {
    const output = logLines.join('');
    expect(logLines.length).toBeGreaterThan(10);
    // The capture sees the gateway's debug lines, with the ids of what the flows did.
    expect(output).toMatch(/"level":20/);
    expect(output).toContain(server.tenantId);
    const leaked = [...secrets].filter(([, value]) => output.includes(value)).map(([name]) => name);
    expect(leaked).toEqual([]);
    expect(secrets.size).toBeGreaterThanOrEqual(7);
  });

  it('serves metrics that hold none of those secrets, nor tenant ids', async () => {
    const { status, text } = await scrape(server.url);
    expect(status).toBe(200);
    // The flows above were counted: syncs of both providers, and their refused credentials.
    expect(text).toMatch(/^calsync_sync_runs_total\{kind="INCREMENTAL",status="FAILED",provider="CALDAV"\} 1$/m);
    expect(text).toMatch(/^calsync_provider_errors_total\{provider="GOOGLE",code="AUTH_REVOKED"\} 1$/m);
    const leaked = [...secrets].filter(([, value]) => text.includes(value)).map(([name]) => name);
    expect(leaked).toEqual([]);
    expect(text).not.toContain(server.tenantId);
    expect(text).not.toContain(resourceId);
    expect(text).not.toContain(radicale.url);
  });
});

describe('error formatting: no stack trace, SQL or secret in a response', () => {
  const logged: unknown[] = [];
  const logger = { error: (...args: unknown[]) => logged.push(args) } as never;
  const format = withEdgeErrors(createErrorFormatter(logger));

  it('masks an unexpected error (SQL in its message, a stack) as INTERNAL_SERVER_ERROR, and logs it', () => {
    const cause = new Error('insert into "api_key" ("hash") values (\'csk_secret\') - duplicate key value violates unique constraint');
    const error = new GraphQLError(cause.message, { originalError: cause, path: ['createResource'] });
    const formatted = format(
      { message: cause.message, path: ['createResource'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: cause.stack?.split('\n') } },
      error,
    );
    expect(formatted).toEqual({ message: 'Internal server error', path: ['createResource'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(formatted)).not.toMatch(/insert|csk_|at .*:\d+/);
    expect(logged).toHaveLength(1);
  });

  it('keeps request errors and edge errors with their code and nothing else', () => {
    const parse = format(
      {
        message: 'Syntax Error: Unexpected "}".',
        locations: [{ line: 1, column: 3 }],
        extensions: { code: 'GRAPHQL_PARSE_FAILED', stacktrace: ['GraphQLError: ...', '    at parser.js:1:1'] },
      },
      new GraphQLError('x'),
    );
    expect(parse).toEqual({ message: 'Syntax Error: Unexpected "}".', locations: [{ line: 1, column: 3 }], extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    const limited = rateLimited(7);
    expect(format({ message: limited.message, extensions: { ...limited.extensions } }, limited)).toEqual({
      message: 'Too many requests for this API key; retry in 7 s',
      extensions: { code: 'RATE_LIMITED', retryAfter: 7 },
    });
  });
});
