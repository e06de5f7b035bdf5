import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  ConnectIcsFeedDocument,
  CreateResourceDocument,
  DisconnectDocument,
  GetExternalCalendarDocument,
  ListEventsDocument,
  ProvidersDocument,
  SelectCalendarsDocument,
  SyncCalendarDocument,
  UpdateIcsFeedDocument,
} from '../graphql/generated';
import { startFeedServer, type FeedServer } from '../helpers/feed-server';
import { startTestServer, type TestServer } from '../helpers/test-server';

const DAY = 86_400_000;
/** The answer cap and the time limit of this suite's gateway (OUTBOUND_MAX_RESPONSE_MB, OUTBOUND_REQUEST_TIMEOUT_SECONDS). */
const MAX_MB = 5;
const TIMEOUT_SECONDS = 2;

/** `YYYYMMDDTHHMMSSZ` of an instant `days` from the next UTC midnight, at `hour`. */
function utc(days: number, hour: number): string {
  const start = Math.ceil(Date.now() / DAY) * DAY + days * DAY + hour * 3_600_000;
  return new Date(start)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** An iCloud-shaped feed (Apple's PRODID, colour, VTIMEZONE): a weekly series with an override and a single event. */
function icloudFeed({ moved = 14, extra = false, single = true } = {}): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Apple Inc.//macOS 15.1//EN',
    'CALSCALE:GREGORIAN',
    'X-WR-CALNAME:Clinic rota',
    'X-APPLE-CALENDAR-COLOR:#FF2968',
    'REFRESH-INTERVAL;VALUE=DURATION:PT6H',
    'BEGIN:VEVENT',
    'UID:rota@icloud.example',
    'DTSTAMP:20261101T000000Z',
    `DTSTART:${utc(1, 9)}`,
    `DTEND:${utc(1, 10)}`,
    'RRULE:FREQ=WEEKLY;COUNT=4',
    'SUMMARY:Ward round',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:rota@icloud.example',
    'DTSTAMP:20261101T000000Z',
    `RECURRENCE-ID:${utc(8, 9)}`,
    `DTSTART:${utc(8, moved)}`,
    `DTEND:${utc(8, moved + 1)}`,
    'SUMMARY:Ward round (moved)',
    'END:VEVENT',
    ...(single
      ? ['BEGIN:VEVENT', 'UID:audit@icloud.example', 'DTSTAMP:20261101T000000Z', `DTSTART:${utc(2, 15)}`, `DTEND:${utc(2, 16)}`, 'SUMMARY:Audit', 'END:VEVENT']
      : []),
    ...(extra
      ? [
          'BEGIN:VEVENT',
          'UID:training@icloud.example',
          'DTSTAMP:20261101T000000Z',
          `DTSTART:${utc(3, 11)}`,
          `DTEND:${utc(3, 12)}`,
          'SUMMARY:Training',
          'END:VEVENT',
        ]
      : []),
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/** A Google-shaped "secret address in iCal format" feed: Google's PRODID, X-WR-* names, one all-day event. */
const GOOGLE_FEED = [
  'BEGIN:VCALENDAR',
  'PRODID:-//Google Inc//Google Calendar 70.9054//EN',
  'VERSION:2.0',
  'CALSCALE:GREGORIAN',
  'METHOD:PUBLISH',
  'X-WR-CALNAME:Dr. Lee (private)',
  'X-WR-TIMEZONE:Europe/Berlin',
  'BEGIN:VEVENT',
  `DTSTART;VALUE=DATE:${utc(4, 0).slice(0, 8)}`,
  `DTEND;VALUE=DATE:${utc(5, 0).slice(0, 8)}`,
  'UID:conference@google.com',
  'SUMMARY:Conference',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('ICS feeds end to end', () => {
  let feeds: FeedServer;
  let server: TestServer;
  let resourceId: string;
  let connectionId: string;

  beforeAll(async () => {
    feeds = await startFeedServer();
    server = await startTestServer({ env: { OUTBOUND_MAX_RESPONSE_MB: String(MAX_MB), OUTBOUND_REQUEST_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS) } });
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Dr. Lee', timeZone: 'Europe/Berlin' } })).createResource.id;
  });
  afterAll(async () => {
    await server?.close();
    await feeds?.close();
  });

  const connect = (url: string, name?: string) => server.gql(ConnectIcsFeedDocument, { input: { resourceId, url, ...(name ? { name } : {}) } });
  const refusal = async (url: string) => {
    const result = await connect(url);
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.url' });
    return result.errors![0]!.message;
  };
  const sync = async (id: string, full = false) =>
    server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: id, full })).syncExternalCalendar.id);
  const events = async (id: string) =>
    (
      await server.ok(ListEventsDocument, {
        filter: { from: new Date(Date.now() - DAY).toISOString(), to: new Date(Date.now() + 60 * DAY).toISOString(), externalCalendarIds: [id] },
        first: 100,
      })
    ).externalEvents.edges
      .map((edge) => `${edge.node.title} ${new Date(edge.node.startsAt).toISOString()}`)
      .sort();
  const feedConnections = async () =>
    Number(
      (
        await server.orm.em.getConnection().execute(`select count(*) as n from external_calendar where tenant_id = ? and provider = 'ICS'`, [server.tenantId])
      )[0].n,
    );

  it('lists ICS feeds as available, connected by URL', async () => {
    const { providers } = await server.ok(ProvidersDocument);
    expect(providers.find((provider) => provider.id === 'ICS')).toMatchObject({ available: true, connectMethods: ['URL'] });
  });

  it('connects an iCloud-shaped feed: one read-only calendar read from the start, the address sealed and shown masked', async () => {
    feeds.publish('/published/2/MTQ3NjY1ODk1NzM5NjE0N.ics', { body: icloudFeed() });
    const { connectIcsFeed } = await server.ok(ConnectIcsFeedDocument, { input: { resourceId, url: `${feeds.url}/published/2/MTQ3NjY1ODk1NzM5NjE0N.ics` } });
    connectionId = connectIcsFeed.id;
    expect(connectIcsFeed).toMatchObject({ provider: 'ICS', status: 'CONNECTED', serverUrl: `${feeds.url}/•••/•••/•••.ics` });
    expect(connectIcsFeed.providerCalendars).toEqual([
      expect.objectContaining({ name: 'Clinic rota', color: '#FF2968', canWrite: false, read: true, write: false, primary: true }),
    ]);
    expect(connectIcsFeed.syncConfig).toMatchObject({ importEnabled: true });
    const [{ credentials, server_url }] = await server.orm.em
      .getConnection()
      .execute('select credentials, server_url from external_calendar where id = ?', [connectionId]);
    expect(credentials).toMatch(/^v1\./);
    expect(`${credentials} ${server_url}`).not.toContain('MTQ3NjY1ODk1NzM5NjE0N');

    // Never a write calendar.
    const calendarId = connectIcsFeed.providerCalendars[0]!.id;
    const write = await server.gql(SelectCalendarsDocument, {
      input: { externalCalendarId: connectionId, readCalendarIds: [calendarId], writeCalendarId: calendarId },
    });
    expect(write.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('syncs the series, its override and the single event, then costs a 304 and nothing else while the feed is unchanged', async () => {
    expect(await sync(connectionId)).toMatchObject({ status: 'SUCCEEDED', upserted: 5 });
    expect(await events(connectionId)).toEqual(
      [
        `Audit ${iso(utc(2, 15))}`,
        `Ward round ${iso(utc(1, 9))}`,
        `Ward round ${iso(utc(15, 9))}`,
        `Ward round ${iso(utc(22, 9))}`,
        `Ward round (moved) ${iso(utc(8, 14))}`,
      ].sort(),
    );
    const before = await server.orm.em
      .getConnection()
      .execute('select max(updated_at) as at from external_event where external_calendar_id = ?', [connectionId]);
    expect(await sync(connectionId)).toMatchObject({ status: 'SUCCEEDED', upserted: 0, deleted: 0 });
    const last = feeds.requests.at(-1)!;
    expect(last).toMatchObject({ status: 304, ifNoneMatch: expect.stringMatching(/^"/), ifModifiedSince: expect.any(String), bytesSent: 0 });
    const after = await server.orm.em
      .getConnection()
      .execute('select max(updated_at) as at from external_event where external_calendar_id = ?', [connectionId]);
    expect(after).toEqual(before);
  });

  it('follows a feed that grows, shrinks and moves an override, writing only what changed', async () => {
    const feedPath = '/published/2/MTQ3NjY1ODk1NzM5NjE0N.ics';
    feeds.publish(feedPath, { body: icloudFeed({ extra: true }) });
    expect(await sync(connectionId)).toMatchObject({ status: 'SUCCEEDED', upserted: 1, deleted: 0 });
    expect(await events(connectionId)).toContain(`Training ${iso(utc(3, 11))}`);

    feeds.publish(feedPath, { body: icloudFeed({ extra: true, single: false }) });
    expect(await sync(connectionId)).toMatchObject({ status: 'SUCCEEDED', upserted: 0, deleted: 1 });
    expect((await events(connectionId)).some((event) => event.startsWith('Audit'))).toBe(false);

    feeds.publish(feedPath, { body: icloudFeed({ extra: true, single: false, moved: 16 }) });
    expect(await sync(connectionId)).toMatchObject({ status: 'SUCCEEDED', upserted: 1 });
    expect(await events(connectionId)).toContain(`Ward round (moved) ${iso(utc(8, 16))}`);
    expect(await events(connectionId)).not.toContain(`Ward round (moved) ${iso(utc(8, 14))}`);
  });

  it("waits the feed's REFRESH-INTERVAL (6 hours) before the next scheduled read", async () => {
    const [{ next_sync_at }] = await server.orm.em.getConnection().execute('select next_sync_at from external_calendar where id = ?', [connectionId]);
    expect(new Date(next_sync_at).getTime() - Date.now()).toBeGreaterThan(6 * 3_600_000 - 60_000);
  });

  it('reads a gzipped Google-shaped feed without validators, named by the client', async () => {
    feeds.publish('/calendar/ical/lee%40example.com/private-0f1e2d3c4b5a/basic.ics', { body: GOOGLE_FEED, gzip: true, etag: false, lastModified: null });
    const { connectIcsFeed } = await server.ok(ConnectIcsFeedDocument, {
      input: { resourceId, url: `${feeds.url}/calendar/ical/lee%40example.com/private-0f1e2d3c4b5a/basic.ics`, name: 'Dr. Lee, Google' },
    });
    expect(connectIcsFeed.providerCalendars[0]).toMatchObject({ name: 'Dr. Lee, Google' });
    expect(await sync(connectIcsFeed.id)).toMatchObject({ status: 'SUCCEEDED', upserted: 1 });
    expect(feeds.requests.at(-1)).toMatchObject({ status: 200, acceptEncoding: expect.stringContaining('gzip') });
    // The same body again, without validators to ask with: read, and neither parsed nor written.
    expect(await sync(connectIcsFeed.id)).toMatchObject({ status: 'SUCCEEDED', upserted: 0, deleted: 0 });
    await server.ok(DisconnectDocument, { id: connectIcsFeed.id });
    expect(await events(connectIcsFeed.id)).toEqual([]);
  });

  it('replaces a rotated secret address in place with updateIcsFeed', async () => {
    const feedPath = '/published/2/MTQ3NjY1ODk1NzM5NjE0N.ics';
    const body = icloudFeed({ extra: true, single: false, moved: 16 });
    feeds.withdraw(feedPath);
    const failed = await sync(connectionId);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/answered HTTP 404: the address was withdrawn or replaced; give the new one with updateIcsFeed/);
    expect(failed.error).not.toContain('MTQ3');

    feeds.publish('/published/2/NEWSECRET.ics', { body });
    const notFeed = await server.gql(UpdateIcsFeedDocument, { input: { externalCalendarId: connectionId, url: `${feeds.url}/nothing-here.ics` } });
    expect(notFeed.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.url' });
    const { updateIcsFeed } = await server.ok(UpdateIcsFeedDocument, {
      input: { externalCalendarId: connectionId, url: `${feeds.url}/published/2/NEWSECRET.ics` },
    });
    expect(updateIcsFeed).toMatchObject({ status: 'CONNECTED', lastError: null });
    expect(await sync(connectionId)).toMatchObject({ status: 'SUCCEEDED' });
    expect(feeds.requests.at(-1)).toMatchObject({ path: '/published/2/NEWSECRET.ics', status: 200, ifNoneMatch: null });
    expect((await server.ok(GetExternalCalendarDocument, { id: connectionId })).externalCalendar!.providerCalendars[0]).toMatchObject({
      read: true,
      lastError: null,
    });
  });

  it('follows redirects, each hop checked by the outbound policy, at most 5', async () => {
    feeds.publish('/real.ics', { body: GOOGLE_FEED });
    feeds.redirect('/hop1.ics', '/hop2.ics', 301);
    feeds.redirect('/hop2.ics', `${feeds.url}/real.ics`, 307);
    const { connectIcsFeed } = await server.ok(ConnectIcsFeedDocument, { input: { resourceId, url: `${feeds.url}/hop1.ics` } });
    expect(connectIcsFeed.status).toBe('CONNECTED');
    await server.ok(DisconnectDocument, { id: connectIcsFeed.id });

    for (let i = 0; i < 6; i++) feeds.redirect(`/loop${i}.ics`, `/loop${i + 1}.ics`);
    feeds.publish('/loop6.ics', { body: GOOGLE_FEED });
    expect(await refusal(`${feeds.url}/loop0.ics`)).toMatch(/redirected more than 5 times/);

    feeds.redirect('/to-metadata.ics', 'http://169.254.169.254/latest/meta-data/');
    expect(await refusal(`${feeds.url}/to-metadata.ics`)).toMatch(/169\.254\.169\.254 is a linkLocal address/);
  });

  it('refuses what is not a feed, naming input.url with the reason, and stores nothing', async () => {
    const before = await feedConnections();
    expect(await refusal('ftp://example.com/calendar.ics')).toMatch(/ftp addresses are not fetched/);
    expect(await refusal('http://169.254.169.254/calendar.ics')).toMatch(/linkLocal address/);
    feeds.publish('/login.html', { body: '<!doctype html><title>Sign in</title>', contentType: 'text/html' });
    expect(await refusal(`${feeds.url}/login.html`)).toMatch(/did not answer with an iCalendar file \(BEGIN:VCALENDAR\); it sent text\/html/);
    expect(await refusal(`${feeds.url}/missing.ics`)).toMatch(/answered HTTP 404/);
    expect(await feedConnections()).toBe(before);
  });

  it(`stops a 50 MB feed at the ${MAX_MB} MiB limit without reading the rest`, async () => {
    feeds.endless('/huge.ics', 50 * 1024 * 1024);
    expect(await refusal(`${feeds.url}/huge.ics`)).toMatch(new RegExp(`larger than ${MAX_MB} MiB`));
    // The body is cancelled once past the limit: the server got to write little more than it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sent = feeds.requests.filter((request) => request.path === '/huge.ics').reduce((total, request) => total + request.bytesSent, 0);
    expect(sent).toBeLessThan(3 * MAX_MB * 1024 * 1024);
  });

  it(`stops a feed that trickles at the ${TIMEOUT_SECONDS} s time limit`, async () => {
    feeds.trickle('/slow.ics', 200);
    const started = Date.now();
    expect(await refusal(`${feeds.url}/slow.ics`)).toMatch(new RegExp(`was not read within ${TIMEOUT_SECONDS} s`));
    expect(Date.now() - started).toBeLessThan(TIMEOUT_SECONDS * 1000 + 3_000);
  });

  it('reads a webcal:// address over https', async () => {
    const tls = await startTlsListener();
    try {
      // The certificate is not trusted, so the fetch fails: what matters is that it spoke TLS.
      expect(await refusal(`webcal://127.0.0.1:${tls.port}/home/calendar.ics`)).toMatch(/could not be reached/);
      expect(tls.handshakes()).toBeGreaterThan(0);
    } finally {
      await tls.close();
    }
  });
});

/** `YYYYMMDDTHHMMSSZ` as an ISO instant with milliseconds. */
function iso(basic: string): string {
  return new Date(
    `${basic.slice(0, 4)}-${basic.slice(4, 6)}-${basic.slice(6, 8)}T${basic.slice(9, 11)}:${basic.slice(11, 13)}:${basic.slice(13, 15)}Z`,
  ).toISOString();
}

/** An https listener on loopback with a throwaway self-signed certificate, counting TLS handshakes attempted. */
async function startTlsListener(): Promise<{ port: number; handshakes: () => number; close: () => Promise<void> }> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'calsync-tls-'));
  const [key, cert] = [path.join(folder, 'key.pem'), path.join(folder, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', key, '-out', cert], {
    stdio: 'ignore',
  });
  let handshakes = 0;
  const server: HttpsServer = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.end());
  server.on('tlsClientError', () => handshakes++);
  server.on('secureConnection', () => handshakes++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    handshakes: () => handshakes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
