import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { Client } from 'pg';
import { CreateResourceDocument, GetSyncRunDocument, SyncCalendarDocument, type SyncRunFieldsFragment } from '../graphql/generated';
import { googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { freePort } from '../helpers/free-port';
import { connectGoogle } from '../helpers/google-connection';
import { buildGateway, startGatewayProcess, until, type GatewayProcess } from '../helpers/processes';
import type { TestServer } from '../helpers/test-server';
import { startThrowawayPostgres, throwawayPostgresAvailable, type ThrowawayPostgres } from '../helpers/throwaway-postgres';

const EVENTS = 40_000;
const REDIS_SERVER = '/usr/bin/redis-server';
const DAY = 86_400_000;
const FINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/**
 * A PostgreSQL restart during a sync used to crash the gateway once in five (a
 * rejection of graphile-worker's that nobody handled). A gateway (`serve`: API and worker) on a
 * cluster of the test's own has PostgreSQL killed and started again three times — while a sync
 * commits, while it fetches, and while nothing runs — and its Redis (pub/sub, rate limits) killed
 * and started again once mid-sync: the process stays up, /healthz answers throughout, each
 * interrupted run ends (resumed to SUCCEEDED, or FAILED with a reason), and a later sync stores
 * every event once.
 */
(throwawayPostgresAvailable() ? describe : describe.skip)('the gateway when PostgreSQL and Redis restart', () => {
  let pg: ThrowawayPostgres;
  let google: GoogleFake;
  let gateway: GatewayProcess;
  let url: string;
  let apiKey: string;
  let redis: { port: number; process: ChildProcess | null };

  /** A redis-server of the test's own, without persistence, on `redis.port`. */
  async function startRedis(): Promise<void> {
    const child = spawn(REDIS_SERVER, ['--port', String(redis.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    redis.process = child;
    let seen = '';
    child.stdout!.on('data', (chunk) => (seen += chunk));
    await until('redis to listen', async () => seen.includes('Ready to accept connections'), 10_000);
  }
  async function stopRedis(): Promise<void> {
    const child = redis.process;
    redis.process = null;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  async function gql<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables): Promise<TResult> {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await response.json()) as { data?: TResult; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!;
  }
  const run = async (id: string): Promise<SyncRunFieldsFragment> => (await gql(GetSyncRunDocument, { id })).syncRun!;
  const alive = () => gateway.child.exitCode === null && gateway.child.signalCode === null;
  const healthy = async () => (await fetch(`${url}/healthz`)).status === 200;

  /** Kills PostgreSQL as a crash would, checks the gateway meanwhile, and starts it again. */
  async function restartPostgres(): Promise<void> {
    await pg.stop('immediate');
    for (let i = 0; i < 6; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(alive()).toBe(true);
      expect(await healthy()).toBe(true);
    }
    await pg.start();
    await until('the database to be back for the gateway', async () => (await fetch(`${url}/readyz`)).status === 200, 60_000);
  }

  beforeAll(async () => {
    buildGateway();
    pg = await startThrowawayPostgres();
    google = await startGoogleFake();
    google.addCalendar({ id: 'owner@example.com', summary: 'Owner', primary: true, accessRole: 'owner' });
    const first = Date.now() + DAY;
    for (let i = 0; i < EVENTS; i++) {
      const start = new Date(first + i * 600_000);
      google.addEvent('owner@example.com', {
        id: `ev${i}`,
        summary: `Booking ${i}`,
        start: { dateTime: start.toISOString() },
        end: { dateTime: new Date(start.getTime() + 300_000).toISOString() },
      });
    }
    redis = { port: await freePort(), process: null };
    await startRedis();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: pg.url,
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      CALSYNC_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ...googleEnv(google),
      PORT: String(port),
      PUBLIC_URL: url,
      SYNC_HEARTBEAT_SECONDS: '1',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
    };
    const tenant = startGatewayProcess(['tenant', 'create', 'restarts'], env);
    expect(await tenant.exited).toBe(0);
    apiKey = /csk_[0-9A-Za-z]+/.exec(tenant.output())![0];
    gateway = startGatewayProcess(['serve'], env);
    await until('the gateway to serve', async () => (await fetch(`${url}/readyz`)).ok, 60_000);
  }, 180_000);
  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await google?.close();
    await pg?.destroy();
    await stopRedis();
  });

  it('stays up, answers /healthz, ends or resumes the interrupted runs, and syncs afterwards', async () => {
    const resourceId = (await gql(CreateResourceDocument, { input: { name: 'Restart room', timeZone: 'UTC' } })).createResource.id;
    const connectionId = await connectGoogle({ ok: (document, variables) => gql(document, variables!) } as TestServer, resourceId);
    const ended = async (id: string) =>
      until(`run ${id} to end`, async () => ((current) => (FINAL.includes(current.status) ? current : null))(await run(id)), 180_000);
    const output = () => gateway.output().slice(-4_000);

    try {
      // 1. While the first sync commits its chunks.
      const committing = (await gql(SyncCalendarDocument, { externalCalendarId: connectionId, full: true })).syncExternalCalendar.id;
      await until('the sync to commit chunks', async () => (await run(committing)).upserted > 0, 120_000);
      await restartPostgres();
      const first = await ended(committing);
      expect(['SUCCEEDED', 'FAILED']).toContain(first.status);
      if (first.status === 'FAILED') expect(first.error).toBeTruthy();

      // 2. While a sync waits on the provider (Google answers 503 with Retry-After: 3 first).
      google.failNext(1, { status: 503, retryAfter: 3 });
      const fetching = (await gql(SyncCalendarDocument, { externalCalendarId: connectionId, full: true })).syncExternalCalendar.id;
      await until('the sync to run', async () => (await run(fetching)).status === 'RUNNING', 60_000);
      await restartPostgres();
      expect(['SUCCEEDED', 'FAILED']).toContain((await ended(fetching)).status);

      // 3. While nothing runs.
      await restartPostgres();

      // 4. Redis, while a sync runs: its live events are lost, the sync is not.
      google.failNext(1, { status: 503, retryAfter: 2 });
      const withoutRedis = (await gql(SyncCalendarDocument, { externalCalendarId: connectionId, full: true })).syncExternalCalendar.id;
      await until('the sync to run', async () => (await run(withoutRedis)).status === 'RUNNING', 60_000);
      await stopRedis();
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(alive()).toBe(true);
      expect(await healthy()).toBe(true);
      await startRedis();
      expect((await ended(withoutRedis)).status).toBe('SUCCEEDED');

      // Later syncs work: the calendar is whole, every event once.
      const later = await ended((await gql(SyncCalendarDocument, { externalCalendarId: connectionId, full: true })).syncExternalCalendar.id);
      expect(later).toMatchObject({ status: 'SUCCEEDED', fetched: EVENTS });
      const db = new Client({ connectionString: pg.url });
      await db.connect();
      try {
        const { rows } = await db.query(
          'select count(*)::int as total, count(distinct external_id)::int as ids from external_event where external_calendar_id = $1',
          [connectionId],
        );
        expect(rows[0]).toEqual({ total: EVENTS, ids: EVENTS });
      } finally {
        await db.end();
      }
      expect(alive()).toBe(true);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- gateway (exit ${gateway.child.exitCode ?? gateway.child.signalCode ?? 'none'}) ---\n${output()}`, {
        cause: error,
      });
    }
  }, 600_000);
});
