import {
  ConnectByCredentialsDocument,
  CreateAppointmentDocument,
  CreateResourceDocument,
  GetAppointmentDocument,
  GetExternalCalendarDocument,
  IngestDocument,
  SelectCalendarsDocument,
  SyncCalendarDocument,
  type ExternalCalendarFieldsFragment,
} from '../graphql/generated';
import { redirectingWellKnown, twoHosts } from '../helpers/caldav-layouts';
import { installedCalDavServers, startCalDavServer, type CalDavTestServer } from '../helpers/caldav-servers';
import { until } from '../helpers/processes';
import { describeWithRadicale, startRadicale } from '../helpers/radicale';
import { forward, startReverseProxy, type ProxiedRequest, type ProxyAnswer, type ReverseProxy } from '../helpers/reverse-proxy';
import { startTestServer, type TestServer } from '../helpers/test-server';

const DAY_MS = 86_400_000;
const WINDOW = { from: '2030-03-01T00:00:00Z', to: '2030-04-01T00:00:00Z' };
const ics = (...events: [uid: string, start: string, title: string][]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Calsync tests//EN',
    ...events.flatMap(([uid, start, title]) => [
      'BEGIN:VEVENT',
      `UID:${uid}`,
      'DTSTAMP:20300101T000000Z',
      `DTSTART:${start}`,
      'DURATION:PT1H',
      `SUMMARY:${title}`,
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
    '',
  ].join('\r\n');
const tomorrowAt = (hour: number) => new Date(Math.ceil((Date.now() + DAY_MS) / DAY_MS) * DAY_MS + hour * 3_600_000).toISOString();

/** The gateway and one resource, connected to a CalDAV URL, every calendar read. */
async function connect(server: TestServer, url: string, dav: CalDavTestServer): Promise<ExternalCalendarFieldsFragment> {
  const resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Room', timeZone: 'Europe/Berlin' } })).createResource.id;
  const { connectExternalCalendarByCredentials: connection } = await server.ok(ConnectByCredentialsDocument, {
    input: { resourceId, provider: 'CALDAV', serverUrl: url, username: dav.username, password: dav.password },
  });
  await server.ok(SelectCalendarsDocument, {
    input: { externalCalendarId: connection.id, readCalendarIds: connection.providerCalendars.map((calendar) => calendar.id) },
  });
  return connection;
}

async function titles(server: TestServer, connectionId: string): Promise<string[]> {
  const rows: { title: string }[] = await server.orm.em
    .getConnection()
    .execute('select title from external_event where external_calendar_id = ? order by title', [connectionId]);
  return rows.map((row) => row.title);
}

const ingest = async (server: TestServer, connectionId: string) =>
  server.finished((await server.ok(IngestDocument, { input: { externalCalendarId: connectionId, ...WINDOW } })).ingestExternalEvents.id);

describeWithRadicale('CalDAV layouts: where the calendars are, and how hosts are reached', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('iCloud-like: the principal on one host, the calendar home on another; credentials, reads and writes go where the server says', async () => {
    const dav = await twoHosts(await startRadicale());
    try {
      await dav.putCalendar('home', ics(['one@test', '20300305T090000Z', 'Dentist']));
      const connection = await connect(server, dav.url, dav);
      expect(connection.providerCalendars.map((calendar) => calendar.providerCalendarId)).toEqual([`${dav.hostB}alice/home/`]);
      expect((await ingest(server, connection.id)).status).toBe('SUCCEEDED');
      expect(await titles(server, connection.id)).toEqual(['Dentist']);
      await server.ok(SelectCalendarsDocument, {
        input: {
          externalCalendarId: connection.id,
          readCalendarIds: [connection.providerCalendars[0].id],
          writeCalendarId: connection.providerCalendars[0].id,
        },
      });
      const resourceId = connection.resource.id;
      const { createAppointment } = await server.ok(CreateAppointmentDocument, {
        input: { resourceId, startsAt: tomorrowAt(9), endsAt: tomorrowAt(10), title: 'Check-up' },
      });
      await until(
        'the export',
        async () => (await server.ok(GetAppointmentDocument, { id: createAppointment.id })).appointment?.exportStatus === 'EXPORTED',
        30_000,
      );
      const hostB = new URL(dav.hostB).host;
      expect(dav.seen.filter((line) => line.startsWith('REPORT') || line.startsWith('PUT')).every((line) => line.split(' ')[1] === hostB)).toBe(true);
      expect(dav.seen.some((line) => line.startsWith('PUT'))).toBe(true);
    } finally {
      await dav.stop();
    }
  });

  it.each(installedCalDavServers())('%s: /.well-known/caldav redirected twice, the last time to another host', async (kind) => {
    const dav = await redirectingWellKnown(await startCalDavServer(kind), { hops: 2, otherHost: true });
    try {
      await dav.putCalendar('work', ics(['two@test', '20300306T090000Z', 'Standup']));
      const connection = await connect(server, dav.url, dav);
      expect(connection.providerCalendars.some((calendar) => calendar.providerCalendarId.endsWith('/work/'))).toBe(true);
      expect((await ingest(server, connection.id)).status).toBe('SUCCEEDED');
      expect(await titles(server, connection.id)).toEqual(['Standup']);
      expect(dav.seen.some((line) => / \/hop\/1$/.test(line))).toBe(true);
    } finally {
      await dav.stop();
    }
  });
});

describe.each(installedCalDavServers().includes('sabredav') ? ['sabredav' as const] : [])('HTTP Digest (RFC 7616): a %s that offers nothing else', (kind) => {
  let dav: CalDavTestServer;
  let proxy: ReverseProxy;
  let server: TestServer;
  const schemes: string[] = [];
  beforeAll(async () => {
    dav = await startCalDavServer(kind, { auth: 'digest' });
    proxy = await startReverseProxy({
      target: dav.url,
      intercept: (request) => {
        schemes.push(request.headers.authorization?.split(' ')[0] ?? 'none');
        return undefined;
      },
    });
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await dav?.stop();
  });

  it('connects, ingests and exports with Digest, never sending Basic; a wrong password is PROVIDER_AUTH_REQUIRED', async () => {
    const resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Room', timeZone: 'Europe/Berlin' } })).createResource.id;
    const wrong = await server.gql(ConnectByCredentialsDocument, {
      input: { resourceId, provider: 'CALDAV', serverUrl: proxy.url, username: dav.username, password: 'wrong' },
    });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('PROVIDER_AUTH_REQUIRED');
    await dav.putCalendar('work', ics(['digest@test', '20300307T090000Z', 'Review']));
    const connection = await connect(server, proxy.url, dav);
    expect((await ingest(server, connection.id)).status).toBe('SUCCEEDED');
    expect(await titles(server, connection.id)).toEqual(['Review']);
    const work = connection.providerCalendars.find((calendar) => calendar.providerCalendarId.endsWith('/work/'))!;
    await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: connection.id, readCalendarIds: [work.id], writeCalendarId: work.id } });
    const { createAppointment } = await server.ok(CreateAppointmentDocument, {
      input: { resourceId: connection.resource.id, startsAt: tomorrowAt(9), endsAt: tomorrowAt(10), title: 'Check-up' },
    });
    await until(
      'the export',
      async () => (await server.ok(GetAppointmentDocument, { id: createAppointment.id })).appointment?.exportStatus === 'EXPORTED',
      30_000,
    );
    expect(schemes).not.toContain('Basic');
    expect(schemes).toContain('Digest');
  });
});

/** A proxy in front of Radicale that records what arrives and can fail requests to one path. */
interface Recorder {
  proxy: ReverseProxy;
  requests: ProxiedRequest[];
  failing: { path: string; status: number } | null;
}

async function recorder(target: string, handle?: (request: ProxiedRequest) => Promise<ProxyAnswer | undefined>): Promise<Recorder> {
  const recorded: Recorder = { proxy: null!, requests: [], failing: null };
  recorded.proxy = await startReverseProxy({
    target,
    intercept: async (request) => {
      recorded.requests.push(request);
      if (recorded.failing && request.path.startsWith(recorded.failing.path) && request.method !== 'PUT') {
        return { status: recorded.failing.status, headers: { 'content-type': 'text/plain' }, body: Buffer.from('Internal error\n') };
      }
      return handle?.(request);
    },
  });
  return recorded;
}

describeWithRadicale('CalDAV failures that concern one calendar, and what the server sees', () => {
  let server: TestServer;
  let radicale: CalDavTestServer;
  let front: Recorder;
  let connection: ExternalCalendarFieldsFragment;
  let calendar: (name: string) => ExternalCalendarFieldsFragment['providerCalendars'][number];

  beforeAll(async () => {
    radicale = await startRadicale({ readOnly: { holidays: ics(['holiday@test', '20300310T090000Z', 'Holiday']) } });
    await radicale.putCalendar('work', ics(['w1@test', '20300303T090000Z', 'Work 1']));
    await radicale.putCalendar('side', ics(['s1@test', '20300304T090000Z', 'Side 1']));
    front = await recorder(radicale.url);
    server = await startTestServer();
    connection = await connect(server, front.proxy.url, radicale);
    calendar = (name) => connection.providerCalendars.find((candidate) => candidate.providerCalendarId.endsWith(`/${name}/`))!;
  });
  afterAll(async () => {
    await server?.close();
    await front?.proxy.close();
    await radicale?.stop();
  });

  it('sends explicit headers: a language Apple parses (not "*"), a user agent, an XML content type', () => {
    const propfind = front.requests.find((request) => request.method === 'PROPFIND')!;
    expect(propfind.headers['accept-language']).toBe('en');
    expect(propfind.headers['user-agent']).toMatch(/^Calsync/);
    expect(propfind.headers['content-type']).toMatch(/^application\/xml/);
    expect(front.requests.every((request) => request.headers['accept-language'] !== '*')).toBe(true);
  });

  it('reads write permission from current-user-privilege-set: a read-only collection cannot be the write calendar', async () => {
    expect(calendar('holidays')).toMatchObject({ canWrite: false });
    expect(calendar('work')).toMatchObject({ canWrite: true });
    const refused = await server.gql(SelectCalendarsDocument, {
      input: { externalCalendarId: connection.id, readCalendarIds: [calendar('holidays').id], writeCalendarId: calendar('holidays').id },
    });
    expect(refused.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.writeCalendarId' });
    expect(refused.errors?.[0]?.message).toMatch(/read-only/);
  });

  it('a 403 on an export fails that export only: the connection stays CONNECTED and keeps syncing', async () => {
    // Privileges can change after the choice: the calendar is chosen while it looked writable.
    await server.orm.em.getConnection().execute('update provider_calendar set can_write = true where id = ?', [calendar('holidays').id]);
    await server.ok(SelectCalendarsDocument, {
      input: { externalCalendarId: connection.id, readCalendarIds: connection.providerCalendars.map((c) => c.id), writeCalendarId: calendar('holidays').id },
    });
    const { createAppointment } = await server.ok(CreateAppointmentDocument, {
      input: { resourceId: connection.resource.id, startsAt: tomorrowAt(9), endsAt: tomorrowAt(10), title: 'Check-up' },
    });
    const failed = await until(
      'the export to fail',
      async () => {
        const { appointment } = await server.ok(GetAppointmentDocument, { id: createAppointment.id });
        return appointment?.exportStatus === 'FAILED' ? appointment : null;
      },
      30_000,
    );
    expect(failed.exportError).toMatch(/HTTP 403/);
    expect((await server.ok(GetExternalCalendarDocument, { id: connection.id })).externalCalendar).toMatchObject({ status: 'CONNECTED' });
    expect((await ingest(server, connection.id)).status).toBe('SUCCEEDED');
  });

  it('a server error on one calendar: the others sync, PROVIDER_ERROR (not PROVIDER_UNAVAILABLE), the calendar backs off until a full sync', async () => {
    await radicale.putEvent(`${radicale.url}alice/work/`, 'w2@test', ics(['w2@test', '20300305T090000Z', 'Work 2']));
    front.failing = { path: new URL(calendar('side').providerCalendarId).pathname, status: 500 };
    const full = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connection.id, full: true })).syncExternalCalendar.id);
    expect(full).toMatchObject({ status: 'FAILED', errorCode: 'PROVIDER_ERROR' });
    expect(full.error).toMatch(/side.*HTTP 500/);
    // Each calendar read (all of them since the test before) with its own outcome.
    expect(full.calendars.map((entry) => entry.providerCalendarId).sort()).toEqual(connection.providerCalendars.map((c) => c.id).sort());
    expect(full.calendars.every((entry) => entry.externalCalendarId === connection.id)).toBe(true);
    const entry = (run: typeof full, name: string) => run.calendars.find((e) => e.providerCalendarId === calendar(name).id);
    expect(entry(full, 'side')).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/HTTP 500/), upserted: 0 });
    expect(entry(full, 'work')).toMatchObject({ status: 'SUCCEEDED', error: null, fetched: expect.any(Number) });
    expect(full.calendars.filter((e) => e.status === 'SUCCEEDED').reduce((sum, e) => sum + e.fetched, 0)).toBe(full.fetched);
    const after = (await server.ok(GetExternalCalendarDocument, { id: connection.id })).externalCalendar!;
    expect(after.status).toBe('CONNECTED');
    const side = after.providerCalendars.find((c) => c.id === calendar('side').id)!;
    expect(side.lastError).toMatch(/HTTP 500/);
    expect(Date.parse(side.retryAt!)).toBeGreaterThan(Date.now());
    expect(after.providerCalendars.find((c) => c.id === calendar('work').id)!.lastError).toBeNull();

    // Incremental syncs leave it alone (no request to it) until retryAt, saying so.
    const before = front.requests.length;
    const incremental = await server.finished(
      (await server.ok(SyncCalendarDocument, { externalCalendarId: connection.id, full: false })).syncExternalCalendar.id,
    );
    expect(incremental.status).toBe('SUCCEEDED');
    expect(incremental.skipReasons).toEqual([
      expect.objectContaining({ providerCalendarId: calendar('side').id, reason: expect.stringMatching(/Not retried until .* after 1 failed sync/) }),
    ]);
    expect(front.requests.slice(before).some((request) => request.path.startsWith(front.failing!.path))).toBe(false);
    expect(entry(incremental, 'side')).toMatchObject({ status: 'SKIPPED', skipped: 1, error: expect.stringMatching(/^Not retried until/) });
    expect(incremental.calendars.filter((e) => e.providerCalendarId !== calendar('side').id).every((e) => e.status === 'SUCCEEDED')).toBe(true);

    front.failing = null;
    const recovered = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connection.id, full: true })).syncExternalCalendar.id);
    expect(recovered.status).toBe('SUCCEEDED');
    const healed = (await server.ok(GetExternalCalendarDocument, { id: connection.id })).externalCalendar!;
    expect(healed.providerCalendars.find((c) => c.id === calendar('side').id)).toMatchObject({ lastError: null, retryAt: null });
  });
});

describeWithRadicale('sync-collection truncated by the server (RFC 6578 section 3.6)', () => {
  let server: TestServer;
  let radicale: CalDavTestServer;
  let front: Recorder;
  const pages = new Map<string, string>();

  /**
   * Splits every sync-collection answer with more than one member into two pages, as a server
   * with a result limit does: the first ends with a 507 response for the collection itself and
   * carries a token that yields the rest (section 3.6); the second the real token.
   */
  async function truncate(request: ProxiedRequest): Promise<ProxyAnswer | undefined> {
    const body = request.body.toString('utf8');
    if (request.method !== 'REPORT' || !body.includes('sync-collection')) return undefined;
    const token = /<(?:\w+:)?sync-token>([^<]*)</.exec(body)?.[1] ?? '';
    if (pages.has(token)) return { status: 207, headers: { 'content-type': 'application/xml; charset=utf-8' }, body: Buffer.from(pages.get(token)!) };
    const answer = await forward(radicale.url, request, true);
    const text = answer.body.toString('utf8');
    const responses = text.match(/<(\w+:)?response>[\s\S]*?<\/\1?response>/g) ?? [];
    if (answer.status !== 207 || responses.length < 2) return answer;
    const half = Math.ceil(responses.length / 2);
    const next = `truncated-${pages.size}`;
    const [, open = '', close = ''] = /^([\s\S]*?)<(?:\w+:)?response>[\s\S]*<\/(?:\w+:)?response>([\s\S]*)$/.exec(text)!;
    const prefix = /<(\w+:)?response>/.exec(responses[0]!)![1] ?? '';
    const truncated = `<${prefix}response><${prefix}href>${request.path}</${prefix}href><${prefix}status>HTTP/1.1 507 Insufficient Storage</${prefix}status></${prefix}response>`;
    pages.set(next, `${open}${responses.slice(half).join('')}${close}`);
    const first = `${open}${responses.slice(0, half).join('')}${truncated}${close}`.replace(/<((?:\w+:)?sync-token)>[^<]*</, `<$1>${next}<`);
    return { status: 207, headers: { 'content-type': 'application/xml; charset=utf-8' }, body: Buffer.from(first) };
  }

  beforeAll(async () => {
    radicale = await startRadicale();
    front = await recorder(radicale.url, truncate);
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
    await front?.proxy.close();
    await radicale?.stop();
  });

  it('continues a truncated answer in the same run and misses no change', async () => {
    const soon = (days: number) => new Date(Math.ceil(Date.now() / DAY_MS + days) * DAY_MS + 9 * 3_600_000).toISOString().replace(/[-:]|\.\d+/g, '');
    const work = await radicale.putCalendar('work', ics(['t0@test', soon(1), 'Existing']));
    const connection = await connect(server, front.proxy.url, radicale);
    expect(
      (await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connection.id, full: true })).syncExternalCalendar.id)).status,
    ).toBe('SUCCEEDED');
    for (let i = 1; i <= 5; i++) await radicale.putEvent(work, `t${i}@test`, ics([`t${i}@test`, soon(i + 1), `New ${i}`]));
    await radicale.deleteEvent(work, 't0@test');
    const reports = () => front.requests.filter((request) => request.method === 'REPORT' && request.body.toString().includes('sync-collection')).length;
    const before = reports();
    const run = await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connection.id, full: false })).syncExternalCalendar.id);
    expect(run).toMatchObject({ kind: 'INCREMENTAL', status: 'SUCCEEDED', deleted: 1 });
    expect(reports() - before).toBe(2);
    const rows: { title: string }[] = await server.orm.em
      .getConnection()
      .execute('select title from external_event where external_calendar_id = ? order by title', [connection.id]);
    expect(rows.map((row) => row.title)).toEqual(['New 1', 'New 2', 'New 3', 'New 4', 'New 5']);
  });
});
