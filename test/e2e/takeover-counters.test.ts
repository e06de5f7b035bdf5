import { ConnectOAuthDocument, CreateResourceDocument, GetExternalCalendarDocument, SelectCalendarsDocument, SyncCalendarDocument } from '../graphql/generated';
import { googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { oauthDance } from '../helpers/oauth-dance';
import { buildGateway, gatewayEnv, startGatewayProcess, until, type GatewayProcess } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';

const SMALL = 100;
const LARGE = 20_000;
const DAY = 86_400_000;

/**
 * Once, a run resumed by another worker added its counters again. A FULL run over two
 * calendars has its worker killed after the first calendar committed and while the second is
 * half committed (its next chunk held behind a lock the test takes on the resource row). The
 * worker that takes over goes past the completed calendar and redoes the second from its old
 * cursor: the run ends with every counter counted once.
 */
describe('the counters of a run taken over by another worker', () => {
  let google: GoogleFake;
  let server: TestServer;
  let env: Record<string, string>;
  const workers: GatewayProcess[] = [];

  beforeAll(async () => {
    buildGateway();
    google = await startGoogleFake();
    env = gatewayEnv(googleEnv(google));
    server = await startTestServer({ env, worker: false });
    google.addCalendar({ id: 'owner@example.com', summary: 'A small', primary: true, accessRole: 'owner' });
    google.addCalendar({ id: 'large@example.com', summary: 'B large', accessRole: 'owner' });
    const first = Date.now() + DAY;
    const add = (calendar: string, id: string, i: number) => {
      const start = new Date(first + i * 600_000);
      google.addEvent(calendar, {
        id,
        summary: id,
        start: { dateTime: start.toISOString() },
        end: { dateTime: new Date(start.getTime() + 300_000).toISOString() },
      });
    };
    for (let i = 0; i < SMALL; i++) add('owner@example.com', `s${i}`, i);
    for (let i = 0; i < LARGE; i++) add('large@example.com', `l${i}`, i);
  }, 120_000);
  afterAll(async () => {
    for (const worker of workers) await worker.stop('SIGKILL');
    await server?.close();
    await google?.close();
  });

  it('counts the completed calendar once and the half-committed one once', async () => {
    const resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Takeover room', timeZone: 'UTC' } })).createResource.id;
    const { connectExternalCalendar } = await server.ok(ConnectOAuthDocument, { input: { resourceId, provider: 'GOOGLE' } });
    const connectionId = connectExternalCalendar.externalCalendar.id;
    await oauthDance(connectExternalCalendar.authUrl);
    const calendars = (await server.ok(GetExternalCalendarDocument, { id: connectionId })).externalCalendar!.providerCalendars;
    await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: connectionId, readCalendarIds: calendars.map((calendar) => calendar.id) } });

    const runId = (await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId, full: true })).syncExternalCalendar.id;
    const sql = server.orm.em.getConnection();
    const counters = async () =>
      (
        (await sql.execute('select status, pages, fetched, upserted, completed_calendars, calendars, takeovers from sync_run where id = ?', [runId])) as {
          status: string;
          calendars: { status: string; fetched: number; upserted: number }[];
          pages: number;
          fetched: number;
          upserted: number;
          completed_calendars: string[];
          takeovers: number;
        }[]
      )[0];

    const first = startGatewayProcess(['worker'], env);
    workers.push(first);
    // Half of the large calendar committed: hold its next chunk behind the resource row, then kill the worker.
    const knex = sql.getKnex();
    const lock = await knex.client.acquireConnection();
    try {
      await until('the large calendar to be half committed', async () => (await counters()).upserted >= SMALL + 2_000, 120_000);
      await lock.query('begin');
      await lock.query('select id from resource where id = $1 for update', [resourceId]);
      const halfway = await counters();
      expect(halfway).toMatchObject({ status: 'RUNNING', pages: 1, fetched: SMALL, completed_calendars: [expect.any(String)] });
      expect(halfway.upserted).toBeLessThan(SMALL + LARGE);
      // Per calendar: the small one done, the large one RUNNING with its committed chunks counted.
      expect(halfway.calendars.map((c) => c.status).sort()).toEqual(['RUNNING', 'SUCCEEDED']);
      expect(halfway.calendars.reduce((sum, c) => sum + c.upserted, 0)).toBe(halfway.upserted);
      await first.stop('SIGKILL');
      await lock.query('rollback');
    } finally {
      await knex.client.releaseConnection(lock);
    }

    // Six missed heartbeats later, a new worker takes the run over as it starts.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    const second = startGatewayProcess(['worker'], env);
    workers.push(second);
    await until('the run to finish', async () => ['SUCCEEDED', 'FAILED'].includes((await counters()).status), 120_000);
    expect(await counters()).toMatchObject({ status: 'SUCCEEDED', pages: 2, fetched: SMALL + LARGE, upserted: SMALL + LARGE, takeovers: 1 });
    expect((await counters()).completed_calendars).toHaveLength(2);
    // The calendars' shares survive the takeover: neither counted twice.
    expect((await counters()).calendars.map((c) => [c.status, c.fetched, c.upserted]).sort()).toEqual(
      [
        ['SUCCEEDED', SMALL, SMALL],
        ['SUCCEEDED', LARGE, LARGE],
      ].sort(),
    );
    const [{ n }] = (await sql.execute('select count(*)::int as n from external_event where external_calendar_id = ?', [connectionId])) as { n: number }[];
    expect(n).toBe(SMALL + LARGE);
    expect(await second.stop('SIGTERM')).toBe(0);
  }, 240_000);
});
