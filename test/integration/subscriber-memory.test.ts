import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SubscriberFleet } from '../../bench/subscribers';
import { SyncRunKind, SyncRunStatus } from '../../src/modules/sync/sync-run.entity';
import { SyncTopic } from '../../src/modules/sync/sync.topics';
import { startTestServer, type TestServer } from '../helpers/test-server';

const SUBSCRIBERS = 1_000;
const CYCLES = 3;
/** What the heap may keep after the cycles (lazily compiled code, caches that fill once), against ~20 MiB that 1,000 retained connections hold. */
const TOLERANCE_MIB = 15;
const QUERY = 'subscription { syncStatusChanged { syncRunId status occurredAt } }';

/** The heap in use after full collections, in MiB (`gc` exposed at run time, since jest starts node without --expose-gc). */
async function settledHeapMiB(): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** The value of one gauge of the server's `/metrics`. */
async function gauge(server: TestServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
}

async function until(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not so within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('websocket subscribers connecting and leaving', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ worker: false, env: { RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_TENANT_PER_MINUTE: '0' } });
  });
  afterAll(() => server.close());

  /** Connects the fleet, waits until every subscription has delivered an event, then closes it and waits until the server has let go. */
  async function cycle(fleet: SubscriberFleet): Promise<void> {
    await fleet.connect(server.wsUrl, server.apiKey, QUERY, SUBSCRIBERS);
    const received = fleet.receiveAll(() => true, 30_000);
    const markers = setInterval(() => {
      void server.deps.pubSub.publish(SyncTopic.SYNC_RUN_CHANGED, {
        tenantId: server.tenantId,
        syncRunId: randomUUID(),
        resourceId: randomUUID(),
        externalCalendarId: null,
        kind: SyncRunKind.INCREMENTAL,
        status: SyncRunStatus.RUNNING,
        pages: 0,
        fetched: 0,
        upserted: 0,
        deleted: 0,
        skipped: 0,
        calendars: [],
        error: null,
        errorCode: null,
        startedAt: null,
        finishedAt: null,
        occurredAt: new Date().toISOString(),
      });
    }, 200);
    await received.finally(() => clearInterval(markers));
    expect(await gauge(server, 'calsync_websocket_subscriptions')).toBe(SUBSCRIBERS);
    await fleet.close();
    await until(async () => (await gauge(server, 'calsync_websocket_connections')) === 0);
  }

  it(`returns to the heap it had after ${CYCLES} cycles of ${SUBSCRIBERS} subscribers (within ${TOLERANCE_MIB} MiB)`, async () => {
    const fleet = new SubscriberFleet();
    // The first cycle compiles and caches what every later one uses: the baseline is taken after it.
    await cycle(fleet);
    const baseline = await settledHeapMiB();
    const after: number[] = [];
    for (let i = 0; i < CYCLES; i++) {
      await cycle(fleet);
      after.push(await settledHeapMiB());
    }
    expect(Math.max(...after) - baseline).toBeLessThan(TOLERANCE_MIB);
  }, 300_000);
});
