import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConnectByCredentialsDocument,
  CreateResourceDocument,
  GetExternalCalendarDocument,
  IngestDocument,
  SelectCalendarsDocument,
  type ExternalCalendarFieldsFragment,
} from '../graphql/generated';
import { CalDavAdapter, MAX_OCCURRENCES_PER_CALENDAR } from '../../src/providers/caldav/caldav.adapter';
import type { ChangeSet } from '../../src/providers/provider';
import { MAX_OCCURRENCES_PER_FILE, MAX_OCCURRENCES_PER_SERIES } from '../../src/providers/ical/expand-calendar';
import { ReadBudget, ReadBudgetExceeded } from '../../src/providers/read-budget';
import { SECRET_BODY, startHostileCalDav, type HostileCalDav } from '../helpers/hostile-caldav';
import { loopbackTransport } from '../helpers/outbound';
import { startTestServer, type TestServer } from '../helpers/test-server';

const WINDOW = { from: '2030-03-01T00:00:00Z', to: '2030-04-01T00:00:00Z' };
/** The hostile server listens on its own loopback address, the only one the gateway may reach here. */
const HOST = '127.0.0.5';

const event = (uid: string, start: string, summary: string, extra: string[] = []) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//hostile//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20300101T000000Z',
    `DTSTART:${start}`,
    'DURATION:PT1H',
    `SUMMARY:${summary}`,
    ...extra,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

/** A server on 127.0.0.1 that must never be reached: it counts what arrives, and the credentials it was sent. */
async function startCanary(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((request, reply) => {
    hits.push(`${request.method} ${request.url} ${request.headers.authorization ?? ''}`);
    reply.writeHead(207, { 'content-type': 'application/xml' }).end('<d:multistatus xmlns:d="DAV:"/>');
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('a hostile CalDAV server cannot take the gateway down, reach inside, or erase busy time', () => {
  let hostile: HostileCalDav;
  let canary: Awaited<ReturnType<typeof startCanary>>;
  let server: TestServer;
  let resourceId: string;

  beforeAll(async () => {
    hostile = await startHostileCalDav(HOST);
    canary = await startCanary();
    server = await startTestServer({ env: { OUTBOUND_ALLOW_PRIVATE: 'false', OUTBOUND_ALLOW_CIDRS: `${HOST}/32` } });
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Target', timeZone: 'Europe/Berlin' } })).createResource.id;
  });
  afterAll(async () => {
    await server?.close();
    await hostile?.close();
    await canary?.close();
  });
  beforeEach(() => {
    hostile.collections.clear();
    hostile.wellKnown = '/dav/';
    hostile.homeHref = '/dav/home/';
    canary.hits.length = 0;
  });

  const connect = (serverUrl: string) =>
    server.gql(ConnectByCredentialsDocument, { input: { resourceId, provider: 'CALDAV', serverUrl, username: hostile.username, password: hostile.password } });

  async function connected(): Promise<ExternalCalendarFieldsFragment> {
    const result = await connect(hostile.url);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    const connection = result.data!.connectExternalCalendarByCredentials;
    await server.ok(SelectCalendarsDocument, {
      input: { externalCalendarId: connection.id, readCalendarIds: connection.providerCalendars.map((calendar) => calendar.id) },
    });
    return connection;
  }
  const ingest = async (connectionId: string) =>
    server.finished((await server.ok(IngestDocument, { input: { externalCalendarId: connectionId, ...WINDOW } })).ingestExternalEvents.id);
  const stored = async (connectionId: string): Promise<{ title: string | null }[]> =>
    server.orm.em.getConnection().execute('select title from external_event where external_calendar_id = ? order by starts_at', [connectionId]);

  describe('SSRF: the outbound policy', () => {
    const port = () => new URL(canary.url).port;
    it.each([
      ['loopback', () => `http://127.0.0.1:${port()}/`],
      ['a decimal IPv4', () => `http://2130706433:${port()}/`],
      ['a hexadecimal IPv4', () => `http://0x7f000001:${port()}/`],
      ['a short IPv4', () => `http://127.1:${port()}/`],
      ['IPv6 loopback', () => `http://[::1]:${port()}/`],
      ['IPv4-mapped IPv6', () => `http://[::ffff:127.0.0.1]:${port()}/`],
      ['a name resolving to loopback', () => `http://localhost:${port()}/`],
      ['cloud metadata (link-local)', () => 'http://169.254.169.254/latest/meta-data/'],
      ['an RFC 1918 address', () => 'http://10.1.2.3/'],
      ['an RFC 4193 address', () => 'http://[fd12:3456::1]/'],
      ['the unspecified address', () => `http://0.0.0.0:${port()}/`],
      ['multicast', () => 'http://224.0.0.1/'],
    ])('refuses %s as serverUrl, before any connection', async (_what, url) => {
      const result = await connect(url());
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.serverUrl' });
      expect(result.errors?.[0]?.message).toMatch(/does not connect to|resolves to/);
      expect(canary.hits).toEqual([]);
    });

    it('refuses other schemes', async () => {
      const result = await connect('file:///etc/passwd');
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.serverUrl' });
    });

    it('checks every redirect hop: /.well-known/caldav sent to an internal host is not followed', async () => {
      hostile.wellKnown = `${canary.url}dav/`;
      const result = await connect(hostile.url);
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.serverUrl' });
      expect(canary.hits).toEqual([]);
    });

    it('checks hosts the server names: a calendar home on an internal host gets no request and no credentials', async () => {
      hostile.homeHref = `${canary.url}home/`;
      hostile.addCollection('work');
      const result = await connect(hostile.url);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(canary.hits).toEqual([]);
    });

    it('a calendar href pointing inside fails that calendar only, with no request to it', async () => {
      hostile.addCollection('work', { 'a.ics': event('a@h', '20300310T090000Z', 'Real') });
      hostile.addCollection('sneaky').href = `${canary.url}admin/`;
      const connection = await connected();
      const run = await ingest(connection.id);
      expect(run).toMatchObject({ status: 'FAILED', errorCode: 'FAILED_PRECONDITION' });
      expect(run.error).toMatch(/sneaky.*loopback address/);
      expect((await stored(connection.id)).map((row) => row.title)).toEqual(['Real']);
      expect(canary.hits).toEqual([]);
    });

    it('never echoes a body: a 500 says its status, not what the server wrote', async () => {
      hostile.addCollection('broken').mode = 'error';
      const connection = await connected();
      const run = await ingest(connection.id);
      expect(run.status).toBe('FAILED');
      expect(run.error).toMatch(/HTTP 500/);
      expect(JSON.stringify(run)).not.toContain('hunter2');
      expect(SECRET_BODY).toContain('hunter2');
    });
  });

  describe('bounded: what a server sends cannot exhaust the process', () => {
    it('a 200 MB answer fails its calendar with a reason and leaves the process as it was', async () => {
      const huge = hostile.addCollection('huge', { 'big.ics': 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' });
      huge.mode = 'huge';
      const connection = await connected();
      const before = process.memoryUsage().rss;
      const run = await ingest(connection.id);
      expect(run.status).toBe('FAILED');
      expect(run.error).toMatch(/larger than 20 MiB/);
      expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
    });

    it('a NUL in a title is stored without it; a 2 MB title is cut to 1,000 characters', async () => {
      hostile.addCollection('odd', {
        'nul.ics': event('nul@h', '20300305T090000Z', 'Team\u0000meeting'),
        'long.ics': event('long@h', '20300306T090000Z', 'x'.repeat(2 * 1024 * 1024)),
      });
      const connection = await connected();
      const run = await ingest(connection.id);
      expect(run.status).toBe('SUCCEEDED');
      const titles = (await stored(connection.id)).map((row) => row.title!);
      expect(titles[0]).toBe('Teammeeting');
      expect(titles[1]).toHaveLength(1_000);
    });

    it('occurrences are budgeted per series and per calendar, with the reason recorded', async () => {
      const bombs = Object.fromEntries(
        Array.from({ length: 12 }, (_, i) => [`bomb-${i}.ics`, event(`bomb-${i}@h`, '20300301T000000Z', `Bomb ${i}`, ['RRULE:FREQ=MINUTELY;INTERVAL=3'])]),
      );
      hostile.addCollection('bombs', bombs);
      const connection = await connected();
      const started = Date.now();
      const run = await ingest(connection.id);
      expect(run.status).toBe('SUCCEEDED');
      expect(Date.now() - started).toBeLessThan(60_000);
      const [{ count }] = await server.orm.em
        .getConnection()
        .execute('select count(*)::int as count from external_event where external_calendar_id = ?', [connection.id]);
      expect(count).toBe(MAX_OCCURRENCES_PER_CALENDAR);
      expect(count).toBe(10 * MAX_OCCURRENCES_PER_SERIES);
      expect(run.skipReasons.map((skip) => skip.reason)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/more than 10000 occurrences in the window/),
          expect.stringMatching(/calendar has more than 100000 occurrences.*2 objects were not read/),
        ]),
      );
    }, 120_000);

    it('one object holding many series is budgeted too: the file stops at its maximum, with the reason', async () => {
      const series = Array.from({ length: 12 }, (_, i) =>
        event(`packed-${i}@h`, '20300301T000000Z', `Packed ${i}`, ['RRULE:FREQ=MINUTELY;INTERVAL=3']).split('\r\n').slice(3, -2),
      );
      const packed = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//hostile//EN', ...series.flat(), 'END:VCALENDAR', ''].join('\r\n');
      hostile.addCollection('packed', { 'packed.ics': packed });
      const connection = await connected();
      const run = await ingest(connection.id);
      expect(run.status).toBe('SUCCEEDED');
      const [{ count }] = await server.orm.em
        .getConnection()
        .execute('select count(*)::int as count from external_event where external_calendar_id = ?', [connection.id]);
      expect(count).toBe(MAX_OCCURRENCES_PER_FILE);
      expect(run.skipReasons.map((skip) => skip.reason)).toContainEqual(
        expect.stringMatching(/file has more than 100000 occurrences.*2 of its series were not expanded/),
      );
    }, 120_000);

    it('a run reads at most its budget from a server, all answers together, and is not retried past it', async () => {
      const objects = Object.fromEntries(
        Array.from({ length: 8 }, (_, i) => [`fat-${i}.ics`, event(`fat-${i}@h`, '20300305T090000Z', 'x'.repeat(300 * 1024))]),
      );
      hostile.addCollection('fat', objects);
      const transport = loopbackTransport();
      const adapter = new CalDavAdapter(transport);
      const credentials = { serverUrl: hostile.url, username: hostile.username, password: hostile.password };
      const window = { from: new Date(WINDOW.from), to: new Date(WINDOW.to) };
      const fetchWith = async (readBudget: ReadBudget) => {
        const before = hostile.seen.length;
        const result = await adapter
          .fetchChanges(credentials, `${hostile.url}dav/home/fat/`, null, { window, timeZone: 'UTC', readBudget })
          .catch((error: unknown) => error);
        return { result, requests: hostile.seen.slice(before) };
      };
      try {
        const enough = new ReadBudget(10 * 1024 * 1024);
        const full = await fetchWith(enough);
        expect((full.result as ChangeSet).events).toHaveLength(8);
        expect(enough.readBytes).toBeGreaterThan(8 * 300 * 1024);
        const small = new ReadBudget(1024 * 1024);
        const refused = await fetchWith(small);
        expect(refused.result).toBeInstanceOf(ReadBudgetExceeded);
        expect((refused.result as ReadBudgetExceeded).code).toBe('TEMPORARY');
        expect((refused.result as Error).message).toMatch(/after reading 1 MiB.*SYNC_RUN_MAX_READ_MB/);
        // The full read's requests up to the query that crossed the budget: no retry, nothing after it.
        expect(refused.requests.at(-1)).toBe('REPORT /dav/home/fat/');
        expect(refused.requests).toEqual(full.requests.slice(0, refused.requests.length));
      } finally {
        await transport.policy.close();
      }
    });

    it('a server listing 1,500 calendars is read in one listing, on a socket or two, not one request each', async () => {
      for (let i = 0; i < 1_500; i++) hostile.addCollection(`cal-${i}`);
      const before = hostile.seen.length;
      hostile.peakSockets = 0;
      const result = await connect(hostile.url);
      expect(result.errors).toBeUndefined();
      expect(result.data!.connectExternalCalendarByCredentials.providerCalendars).toHaveLength(1_500);
      expect(hostile.seen.length - before).toBeLessThanOrEqual(5);
      expect(hostile.peakSockets).toBeLessThanOrEqual(2);
    });
  });

  it("a server that hangs is let go at the run's signal: the request ends and nothing is retried", async () => {
    hostile.addCollection('stuck').mode = 'silent';
    const adapter = new CalDavAdapter(loopbackTransport());
    const credentials = { serverUrl: hostile.url, username: hostile.username, password: hostile.password };
    // The gateway's own schedule may reach the server meanwhile: only this collection's requests count.
    const stuck = () => hostile.seen.filter((request) => request.endsWith(' /dav/home/stuck/'));
    const deadline = new AbortController();
    let atAbort = 0;
    setTimeout(() => {
      atAbort = stuck().length;
      deadline.abort(new Error('the run reached its deadline'));
    }, 300);
    const started = Date.now();
    await expect(
      adapter.fetchChanges(credentials, `${hostile.url}dav/home/stuck/`, null, {
        window: { from: new Date(WINDOW.from), to: new Date(WINDOW.to) },
        timeZone: 'UTC',
        signal: deadline.signal,
      }),
    ).rejects.toThrow('the run reached its deadline');
    expect(Date.now() - started).toBeLessThan(2_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // The PROPFIND (twice where the origin's scheme was not known yet: a 401 asked for Basic), and nothing after the abort.
    expect(atAbort).toBeGreaterThan(0);
    expect(stuck()).toEqual(Array(atAbort).fill('PROPFIND /dav/home/stuck/'));
  });

  describe('never delete on a bad answer', () => {
    it.each(['html', 'truncated', 'empty'] as const)('a %s answer fails the calendar and keeps every stored event', async (mode) => {
      const work = hostile.addCollection('work', { 'a.ics': event('a@h', '20300310T090000Z', 'Kept A'), 'b.ics': event('b@h', '20300311T090000Z', 'Kept B') });
      const connection = await connected();
      expect((await ingest(connection.id)).status).toBe('SUCCEEDED');
      work.mode = mode;
      const run = await ingest(connection.id);
      expect(run).toMatchObject({ status: 'FAILED', deleted: 0 });
      expect(run.error).toMatch(/not a WebDAV multistatus|does not include the collection itself|HTTP 200/);
      expect((await stored(connection.id)).map((row) => row.title)).toEqual(['Kept A', 'Kept B']);
      const { externalCalendar } = await server.ok(GetExternalCalendarDocument, { id: connection.id });
      expect(externalCalendar?.providerCalendars[0].lastError).toBeTruthy();
    });
  });
});
