import { CreateResourceDocument, SyncCalendarDocument } from '../graphql/generated';
import { googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { connectGoogle } from '../helpers/google-connection';
import { buildGateway, gatewayEnv, startGatewayProcess, until, type GatewayProcess } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';

const EVENTS = 3_000;
const DAY = 86_400_000;

describe('a worker killed in the middle of a sync', () => {
  let google: GoogleFake;
  let server: TestServer;
  let env: Record<string, string>;
  const workers: GatewayProcess[] = [];

  beforeAll(async () => {
    // The worker processes run the compiled gateway, as `npm run worker` does.
    buildGateway();
    google = await startGoogleFake();
    env = gatewayEnv(googleEnv(google));
    // The API alone: every sync of this test runs in the worker processes.
    server = await startTestServer({ env, worker: false });
    google.addCalendar({ id: 'owner@example.com', summary: 'Owner', primary: true, accessRole: 'owner' });
    const tomorrow = Date.now() + DAY;
    for (let i = 0; i < EVENTS; i++) {
      const start = new Date(tomorrow + i * 3_600_000);
      google.addEvent('owner@example.com', {
        id: `ev${i}`,
        summary: `Booking ${i}`,
        start: { dateTime: start.toISOString() },
        end: { dateTime: new Date(start.getTime() + 1_800_000).toISOString() },
      });
    }
  }, 120_000);
  afterAll(async () => {
    for (const worker of workers) await worker.stop('SIGKILL');
    await server?.close();
    await google?.close();
  });

  it('is taken over by a restarted worker, which finishes the run with every event stored once', async () => {
    const resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Crash room', timeZone: 'UTC' } })).createResource.id;
    const connectionId = await connectGoogle(server, resourceId);

    // Google answers the first page with 503 and Retry-After: 5, so the first worker is mid-sync for a while.
    google.failNext(1, { status: 503, retryAfter: 5 });
    const runId = (await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId, full: true })).syncExternalCalendar.id;
    const sql = server.orm.em.getConnection();
    const status = async () =>
      (await sql.execute('select status, worker_id from sync_run where id = ?', [runId]))[0] as { status: string; worker_id: string | null };

    const first = startGatewayProcess(['worker'], env);
    workers.push(first);
    await until('the first worker to start the run', async () => (await status()).status === 'RUNNING');
    await first.stop('SIGKILL');
    expect((await status()).status).toBe('RUNNING');
    expect(await sql.execute('select count(*)::int as n from external_event where external_calendar_id = ?', [connectionId])).toEqual([{ n: 0 }]);

    // Six missed heartbeats (1 s each) later, a new worker takes the run over as it starts.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    const second = startGatewayProcess(['worker'], env);
    workers.push(second);
    const run = await until(
      'the run to finish',
      async () => {
        const current = await status();
        return current.status === 'SUCCEEDED' || current.status === 'FAILED' ? current : null;
      },
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- first worker ---\n${first.output()}\n--- second worker ---\n${second.output()}`);
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.worker_id).not.toBeNull();

    const [counts] = await sql.execute(
      'select count(*)::int as total, count(distinct external_id)::int as distinct_ids from external_event where external_calendar_id = ?',
      [connectionId],
    );
    expect(counts).toEqual({ total: EVENTS, distinct_ids: EVENTS });
    const finished = await server.finished(runId);
    expect(finished).toMatchObject({ status: 'SUCCEEDED', fetched: EVENTS, upserted: EVENTS });

    expect(await second.stop('SIGTERM')).toBe(0);
  }, 120_000);
});
