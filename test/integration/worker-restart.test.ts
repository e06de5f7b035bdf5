import { randomUUID } from 'node:crypto';
import { run, type Runner } from 'graphile-worker';
import { createLogger } from '../../src/common/logger';
import { startWorker } from '../../src/worker';
import { until } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';

/**
 * When graphile-worker's runner stops by itself (its pool shuts down after a job
 * could not be released while PostgreSQL was away), jobs must not stop with it. The worker starts
 * a new runner, with backoff, until it is stopped itself.
 */
describe('the job runner', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ worker: false });
  });
  afterAll(() => server.close());

  it('is started again when it stops by itself, and keeps running jobs', async () => {
    const runners: Runner[] = [];
    const worker = await startWorker(process.env.DATABASE_URL!, server.orm, server.deps, createLogger('silent'), {
      concurrency: 1,
      startRunner: async (options) => {
        const runner = await run(options);
        runners.push(runner);
        return runner;
      },
    });
    try {
      // As when its worker pool gives up: the runner ends without being asked to by us.
      await runners[0].stop();
      await until('a new runner', async () => worker.restarts === 1 && runners.length === 2, 15_000);

      // The new runner takes jobs: a sync run that does not exist completes at once.
      const tenantId = server.tenantId;
      await server.deps.queue.enqueue({ runId: randomUUID(), tenantId }, `restart-${randomUUID()}`);
      const sql = server.orm.em.getConnection();
      await until(
        'the job to be done',
        async () =>
          ((await sql.execute(`select count(*)::int as n from graphile_worker._private_jobs where payload->>'tenantId' = ?`, [tenantId])) as { n: number }[])[0]
            .n === 0,
        15_000,
      );
    } finally {
      await worker.stop();
    }
    // Stopped on purpose: no further runner.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(runners).toHaveLength(2);
  }, 60_000);
});
