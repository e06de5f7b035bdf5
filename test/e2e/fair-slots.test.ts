import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { ConnectByCredentialsDocument, CreateResourceDocument, GetSyncRunDocument, IngestDocument, SelectCalendarsDocument } from '../graphql/generated';
import { startHostileCalDav, type HostileCalDav } from '../helpers/hostile-caldav';
import { until } from '../helpers/processes';
import { startReverseProxy, type ReverseProxy } from '../helpers/reverse-proxy';
import { startTestServer, type TestServer } from '../helpers/test-server';

const WINDOW = { from: '2030-03-01T00:00:00Z', to: '2030-04-01T00:00:00Z' };
/** How long the slow server takes to answer each request, valid answers all the same. */
const SLOW_MS = 60_000;
/** The run deadline of this test (SYNC_RUN_DEADLINE_SECONDS), far below what a slow sync takes. */
const DEADLINE_SECONDS = 6;
/** Tenant A's connections to the slow server: more than the 4 worker slots. */
const SLOW_CONNECTIONS = 5;

const event = (uid: string, day: number) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//fair//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20300101T000000Z',
    `DTSTART:203003${String(day).padStart(2, '0')}T090000Z`,
    'DURATION:PT1H',
    `SUMMARY:${uid}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

/**
 * Four worker slots and no deadline once let four slow-but-valid CalDAV servers of one
 * tenant make another tenant's trivial ingest wait 111 s. Now a tenant holds at most
 * SYNC_TENANT_CONCURRENCY of a worker's WORKER_CONCURRENCY slots, and every run stops at
 * SYNC_RUN_DEADLINE_SECONDS, FAILED with the reason, its connection untouched but for lastError.
 */
describe("one tenant's slow CalDAV servers delay only that tenant", () => {
  let caldav: HostileCalDav;
  let proxy: ReverseProxy;
  let server: TestServer;
  let slow = false;
  const held = new Set<() => void>();

  beforeAll(async () => {
    caldav = await startHostileCalDav();
    caldav.addCollection('work', { 'a.ics': event('a', 2), 'b.ics': event('b', 3) });
    // Tenant A's server: the same CalDAV server behind a proxy that, once `slow`, holds every request for a minute.
    proxy = await startReverseProxy({
      target: caldav.url,
      intercept: () =>
        slow
          ? new Promise((resolve) => {
              const release = () => {
                held.delete(release);
                clearTimeout(timer);
                resolve(undefined);
              };
              const timer = setTimeout(release, SLOW_MS);
              held.add(release);
            })
          : undefined,
    });
    server = await startTestServer({ env: { WORKER_CONCURRENCY: '4', SYNC_TENANT_CONCURRENCY: '2', SYNC_RUN_DEADLINE_SECONDS: String(DEADLINE_SECONDS) } });
  });
  afterAll(async () => {
    for (const release of [...held]) release();
    await server?.close();
    await proxy?.close();
    await caldav?.close();
  });

  /** A resource of the tenant with one CalDAV connection to `serverUrl`, its calendar read. */
  async function connection(serverUrl: string, apiKey: string): Promise<string> {
    const as = async <TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables): Promise<TResult> => {
      const result = await server.gql(document, variables, apiKey);
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data!;
    };
    const resourceId = (await as(CreateResourceDocument, { input: { name: 'Room', timeZone: 'UTC' } })).createResource.id;
    const connected = (
      await as(ConnectByCredentialsDocument, { input: { resourceId, provider: 'CALDAV', serverUrl, username: caldav.username, password: caldav.password } })
    ).connectExternalCalendarByCredentials;
    await as(SelectCalendarsDocument, {
      input: { externalCalendarId: connected.id, readCalendarIds: connected.providerCalendars.map((calendar) => calendar.id) },
    });
    return connected.id;
  }
  const ingest = async (connectionId: string, apiKey: string) => {
    const result = await server.gql(IngestDocument, { input: { externalCalendarId: connectionId, ...WINDOW } }, apiKey);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data!.ingestExternalEvents.id;
  };
  const finished = async (runId: string, apiKey: string, timeoutMs: number) =>
    until(
      `run ${runId} to finish`,
      async () => {
        const run = (await server.gql(GetSyncRunDocument, { id: runId }, apiKey)).data?.syncRun;
        return run && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status) ? run : null;
      },
      timeoutMs,
    );

  it("leaves tenant B's ingest within its normal time, and stops tenant A's runs at their deadline", async () => {
    const b = await server.createTenant('fair-b');
    const quick = await connection(caldav.url, b.apiKey);
    const slowOnes: string[] = [];
    for (let i = 0; i < SLOW_CONNECTIONS; i++) slowOnes.push(await connection(proxy.url, server.apiKey));

    // B's normal time, with nothing else running.
    let start = Date.now();
    expect(await finished(await ingest(quick, b.apiKey), b.apiKey, 30_000)).toMatchObject({ status: 'SUCCEEDED', fetched: 2 });
    const normalMs = Date.now() - start;

    slow = true;
    const sql = server.orm.em.getConnection();
    const running = async () =>
      ((await sql.execute(`select count(*)::int as n from sync_run where tenant_id = ? and status = 'RUNNING'`, [server.tenantId])) as { n: number }[])[0].n;
    const slowRuns: string[] = [];
    for (const id of slowOnes) slowRuns.push(await ingest(id, server.apiKey));
    await until('tenant A to hold its slots', async () => (await running()) === 2, 10_000);
    let mostRunning = 0;
    const sampler = setInterval(
      () =>
        void running().then(
          (n) => (mostRunning = Math.max(mostRunning, n)),
          () => undefined,
        ),
      200,
    );

    try {
      // B, while A's servers keep two slots waiting: the other two are free for it.
      start = Date.now();
      expect(await finished(await ingest(quick, b.apiKey), b.apiKey, 30_000)).toMatchObject({ status: 'SUCCEEDED', fetched: 2 });
      const underLoadMs = Date.now() - start;
      console.log(`tenant B's ingest: ${normalMs} ms alone, ${underLoadMs} ms while tenant A's ${SLOW_CONNECTIONS} servers are slow`);
      expect(underLoadMs).toBeLessThan(Math.max(3 * normalMs, normalMs + 3_000));

      // A's runs stop at the deadline, two at a time, each FAILED with the reason.
      start = Date.now();
      for (const runId of slowRuns) {
        const run = await finished(runId, server.apiKey, SLOW_CONNECTIONS * DEADLINE_SECONDS * 1000 + 30_000);
        expect(run).toMatchObject({ status: 'FAILED', errorCode: 'PROVIDER_UNAVAILABLE' });
        expect(run.error).toContain(`deadline of ${DEADLINE_SECONDS} s`);
      }
      const allMs = Date.now() - start;
      console.log(`tenant A's ${SLOW_CONNECTIONS} slow runs ended at their deadline within ${allMs} ms`);
      expect(allMs).toBeLessThan(Math.ceil(SLOW_CONNECTIONS / 2) * (DEADLINE_SECONDS + 5) * 1000);
      expect(mostRunning).toBe(2);
    } finally {
      clearInterval(sampler);
    }
    // The connections stay usable: CONNECTED, with the reason, and synced again once the server is quick.
    const [state] = (await sql.execute('select status, last_error from external_calendar where id = ?', [slowOnes[0]])) as {
      status: string;
      last_error: string;
    }[];
    expect(state.status).toBe('CONNECTED');
    expect(state.last_error).toContain('deadline');
    slow = false;
    for (const release of [...held]) release();
    expect(await finished(await ingest(slowOnes[0], server.apiKey), server.apiKey, 30_000)).toMatchObject({ status: 'SUCCEEDED', fetched: 2 });
  }, 180_000);
});
