import { CreateResourceDocument, SyncCalendarDocument } from '../graphql/generated';
import { googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { connectGoogle } from '../helpers/google-connection';
import { buildGateway, gatewayEnv, startGatewayProcess, until, type GatewayProcess } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { QUARANTINE_REASON } from '../../src/modules/sync/sync.tasks';

const DAY = 86_400_000;

/**
 * After a restart, the resumed runs that had crashed the process crashed it again,
 * in a loop. A run whose worker dies twice (here `kill -9` while it waits on Google) is not handed
 * to a third: the reaper quarantines it, FAILED with the reason, and its connection backs off.
 */
describe('a run that lost its worker twice', () => {
  let google: GoogleFake;
  let server: TestServer;
  let env: Record<string, string>;
  const workers: GatewayProcess[] = [];

  beforeAll(async () => {
    buildGateway();
    google = await startGoogleFake();
    env = gatewayEnv(googleEnv(google));
    server = await startTestServer({ env, worker: false });
    google.addCalendar({ id: 'owner@example.com', summary: 'Owner', primary: true, accessRole: 'owner' });
    const start = new Date(Date.now() + DAY);
    google.addEvent('owner@example.com', {
      id: 'ev1',
      summary: 'Booking',
      start: { dateTime: start.toISOString() },
      end: { dateTime: new Date(start.getTime() + 1_800_000).toISOString() },
    });
  }, 120_000);
  afterAll(async () => {
    for (const worker of workers) await worker.stop('SIGKILL');
    await server?.close();
    await google?.close();
  });

  it('is quarantined with a reason instead of being run a third time', async () => {
    const resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Crashing room', timeZone: 'UTC' } })).createResource.id;
    const connectionId = await connectGoogle(server, resourceId);
    const runId = (await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId, full: true })).syncExternalCalendar.id;
    const sql = server.orm.em.getConnection();
    const state = async () =>
      (
        (await sql.execute('select status, error, error_code, takeovers from sync_run where id = ?', [runId])) as {
          status: string;
          error: string | null;
          error_code: string | null;
          takeovers: number;
        }[]
      )[0];

    for (let death = 1; death <= 2; death++) {
      // Google answers 503 with Retry-After: 5, so the worker is mid-sync when it is killed.
      google.failNext(1, { status: 503, retryAfter: 5 });
      const worker = startGatewayProcess(['worker'], env);
      workers.push(worker);
      // The second takes it over first (takeovers 1), then runs it.
      await until(
        `worker ${death} to run the sync`,
        async () => ((current) => current.status === 'RUNNING' && current.takeovers === death - 1)(await state()),
        30_000,
      );
      await worker.stop('SIGKILL');
      // Six missed heartbeats (1 s each) before the next worker's reaper sees it dead.
      await new Promise((resolve) => setTimeout(resolve, 7_000));
    }

    const third = startGatewayProcess(['worker'], env);
    workers.push(third);
    const ended = await until('the run to be quarantined', async () => ((current) => (current.status === 'FAILED' ? current : null))(await state()), 30_000);
    expect(ended).toEqual({ status: 'FAILED', error: QUARANTINE_REASON, error_code: 'INTERNAL_SERVER_ERROR', takeovers: 2 });
    const [connection] = (await sql.execute('select failure_count, next_sync_at, last_error from external_calendar where id = ?', [connectionId])) as {
      failure_count: number;
      next_sync_at: Date;
      last_error: string;
    }[];
    expect(connection.failure_count).toBe(1);
    expect(connection.last_error).toBe(QUARANTINE_REASON);
    expect(new Date(connection.next_sync_at).getTime()).toBeGreaterThan(Date.now() + 20 * 60_000);

    // Its job is released to the third worker, which finds the run finished and leaves it: nothing stored, the worker up.
    await until(
      'the job to be gone',
      async () =>
        ((await sql.execute(`select count(*)::int as n from graphile_worker._private_jobs where payload->>'runId' = ?`, [runId])) as { n: number }[])[0].n ===
        0,
      30_000,
    );
    expect(await sql.execute('select count(*)::int as n from external_event where external_calendar_id = ?', [connectionId])).toEqual([{ n: 0 }]);
    expect((await state()).status).toBe('FAILED');
    expect(third.child.exitCode).toBeNull();
  }, 180_000);
});
