import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { initOrm } from '../../src/db/orm';
import { SyncRunStatus } from '../../src/modules/sync/sync-run.entity';
import { SyncTopic, type SyncRunChangedPayload } from '../../src/modules/sync/sync.topics';
import { TenantService } from '../../src/modules/tenancy/tenant.service';
import { percentile, type Measure } from '../harness';
import { Arrivals, wallClock } from '../arrivals';
import { freePort } from '../../test/helpers/free-port';
import { GATEWAY_MAIN, startProcess, until, type BenchProcess } from '../processes';
import { SubscriberFleet } from '../subscribers';

const REDIS_URL = 'redis://127.0.0.1:6379';
/** Subscribers on each of the two API processes (and on each bare relay). */
const PER_API = 50;
/** Committed calendar changes per round, on each side. */
const EVENTS_PER_ROUND = 10;
const DAY = 86_400_000;

const FIELDS = 'syncRunId resourceId externalCalendarId kind status pages fetched upserted deleted skipped error errorCode startedAt finishedAt occurredAt';

/**
 * A one-event ICS feed on loopback whose event's title changes with every request, so that each
 * sync of it upserts one row and commits (no ETag: every fetch is a 200 with a new body).
 */
async function startChangingFeed(): Promise<{ server: Server; url: string }> {
  let version = 0;
  const start = new Date(Math.ceil(Date.now() / DAY) * DAY + 9 * 3_600_000);
  const stamp = (at: Date) =>
    at
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  const server = createServer((_request, response) => {
    version++;
    response.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' });
    response.end(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Calsync bench//EN',
        'X-WR-CALNAME:Fan-out',
        'BEGIN:VEVENT',
        'UID:fanout@bench.example',
        `DTSTAMP:${stamp(new Date())}`,
        `DTSTART:${stamp(start)}`,
        `DTEND:${stamp(new Date(start.getTime() + 3_600_000))}`,
        `SUMMARY:Change ${version}`,
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fanout.ics` };
}

/** POSTs one GraphQL operation to `base` with `apiKey` and returns its data; throws on errors. */
async function gql<T>(base: string, apiKey: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

/** The two API processes (`serve --no-worker`) and the worker (`worker`), ready; all on one database and one Redis. */
async function startGateway(env: Record<string, string>, started: BenchProcess[]): Promise<string[]> {
  const apis: string[] = [];
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const api = startProcess(GATEWAY_MAIN, ['serve', '--no-worker'], { ...env, PORT: String(port) });
    started.push(api);
    apis.push(`http://127.0.0.1:${port}`);
  }
  // The worker serves no HTTP but its /metrics (METRICS_PORT), which it opens once its job runner is up.
  const metricsPort = await freePort();
  const worker = startProcess(GATEWAY_MAIN, ['worker'], { ...env, METRICS_PORT: String(metricsPort) });
  started.push(worker);
  await Promise.all([
    ...apis.map((base, i) => until(`API ${base}`, started[i]!, async () => (await fetch(`${base}/readyz`)).ok)),
    until('the worker', worker, async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).ok),
  ]);
  return apis;
}

/** Two bare relays (bench/redis-relay.ts) subscribed to `channel`; their websocket URLs. */
async function startRelays(channel: string, started: BenchProcess[]): Promise<string[]> {
  const relays = [0, 1].map(() => startProcess(path.resolve(__dirname, '../redis-relay.js'), [REDIS_URL, channel], {}));
  started.push(...relays);
  return Promise.all(
    relays.map(async (relay) => {
      const port = await until('a bare relay', relay, async () => /\{"port":(\d+)\}/.exec(relay.output())?.[1]);
      return `ws://127.0.0.1:${port}`;
    }),
  );
}

/**
 * The Redis pub/sub path: two API processes (`serve --no-worker`) and one worker process on the
 * bench's database and Redis, {@link PER_API} graphql-ws subscribers of `syncStatusChanged` on
 * each API (clients in this process). Each committed calendar change is a sync of a one-event
 * ICS feed on loopback (requested over HTTP, run by the worker, one row upserted); its latency is
 * from the SUCCEEDED payload's `occurredAt` (stamped by the worker after the commit, just before
 * it publishes; millisecond resolution, read as the middle of its millisecond) to each
 * subscriber's receipt of it, on both APIs. Baseline: the same frame bytes published with a bare
 * ioredis `publish` to two relay processes (ioredis subscribe → `ws` send of the message as it
 * came) with as many of the same clients each, from the publish to each receipt. Both sides
 * alternate, {@link EVENTS_PER_ROUND} × rounds events each; p50 and p95 over every receipt.
 */
export const measure: Measure = {
  name: 'redis-fanout',
  async run({ databaseUrl, rounds, log }) {
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      CALSYNC_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_TENANT_PER_MINUTE: '0',
      // The feed is on loopback.
      OUTBOUND_ALLOW_PRIVATE: 'true',
    };
    const orm = await initOrm(databaseUrl);
    const { tenant, apiKey } = await new TenantService(orm.em.fork()).create(`bench-fanout-${randomBytes(4).toString('hex')}`).finally(() => orm.close());
    const feed = await startChangingFeed();
    const channel = `calsync-bench-${randomBytes(4).toString('hex')}:fanout`;
    const publisher = new Redis(REDIS_URL);
    const tap = new Redis(REDIS_URL);
    const started: BenchProcess[] = [];
    const fleets = [0, 1, 2, 3].map(() => new SubscriberFleet());
    try {
      const apis = await startGateway(env, started);
      const relays = await startRelays(channel, started);
      const resourceId = (
        await gql<{ createResource: { id: string } }>(apis[0]!, apiKey, `mutation { createResource(input: { name: "Fan-out room", timeZone: "UTC" }) { id } }`)
      ).createResource.id;
      const connectionId = (
        await gql<{ connectIcsFeed: { id: string } }>(apis[0]!, apiKey, `mutation($input: ConnectIcsFeedInput!) { connectIcsFeed(input: $input) { id } }`, {
          input: { resourceId, url: feed.url },
        })
      ).connectIcsFeed.id;
      const query = `subscription { syncStatusChanged(externalCalendarId: "${connectionId}") { ${FIELDS} } }`;
      const [ourA, ourB, bareA, bareB] = fleets as [SubscriberFleet, SubscriberFleet, SubscriberFleet, SubscriberFleet];
      await Promise.all([
        ourA.connect(`${apis[0]!.replace(/^http/, 'ws')}/graphql`, apiKey, query, PER_API),
        ourB.connect(`${apis[1]!.replace(/^http/, 'ws')}/graphql`, apiKey, query, PER_API),
        bareA.connect(relays[0]!, 'bench', query, PER_API),
        bareB.connect(relays[1]!, 'bench', query, PER_API),
      ]);

      let sample = '';
      const succeeded = (text: string) => {
        const event = (JSON.parse(text) as { payload?: { data?: { syncStatusChanged?: { status: string; syncRunId: string; occurredAt: string } } } }).payload
          ?.data?.syncStatusChanged;
        if (event?.status !== 'SUCCEEDED') return null;
        sample = text;
        return { marker: event.syncRunId, sentAt: Date.parse(event.occurredAt) + 0.5 };
      };
      const ourArrivals = [new Arrivals(ourA.sockets, succeeded), new Arrivals(ourB.sockets, succeeded)];
      const publishedAt = new Map<string, number>();
      const bare = (text: string) => {
        const marker = /"syncRunId":"([^"]+)"/.exec(text)?.[1];
        return marker && publishedAt.has(marker) ? { marker, sentAt: publishedAt.get(marker)! } : null;
      };
      const bareArrivals = [new Arrivals(bareA.sockets, bare), new Arrivals(bareB.sockets, bare)];
      // The worker's publication as Redis hands it to every subscriber (channel calsync:<topic>, src/common/pubsub.ts): the hop without the APIs.
      const tapArrivals = new Arrivals([], (text) => {
        const payload = JSON.parse(text) as SyncRunChangedPayload;
        return payload.tenantId === tenant.id && payload.status === SyncRunStatus.SUCCEEDED
          ? { marker: payload.syncRunId, sentAt: Date.parse(payload.occurredAt) + 0.5 }
          : null;
      });
      tap.on('message', (_channel: string, message: string) => tapArrivals.receive(message));
      await tap.subscribe(`calsync:${SyncTopic.SYNC_RUN_CHANGED}`);

      const sync = async (timeoutMs: number) => {
        const { syncExternalCalendar } = await gql<{ syncExternalCalendar: { id: string } }>(
          apis[0]!,
          apiKey,
          `mutation($id: ID!) { syncExternalCalendar(externalCalendarId: $id) { id } }`,
          { id: connectionId },
        );
        const [[hop], ...perApi] = await Promise.all(
          [tapArrivals, ...ourArrivals].map((arrivals, i) => arrivals.waitFor(syncExternalCalendar.id, i === 0 ? 1 : PER_API, timeoutMs)),
        );
        return { hop: hop!, perApi };
      };
      const relay = async () => {
        const marker = randomUUID();
        // Calsync's own bytes of a SUCCEEDED frame with this event's id: the baseline carries what Calsync carries.
        const frame = sample.replace(/"syncRunId":"[^"]+"/, `"syncRunId":"${marker}"`);
        publishedAt.set(marker, wallClock());
        await publisher.publish(channel, frame);
        return Promise.all(bareArrivals.map((arrivals) => arrivals.waitFor(marker, PER_API, 10_000)));
      };

      // graphql-ws acknowledges no `subscribe`: syncs are run until one has reached every subscriber.
      for (let attempt = 1; ; attempt++) {
        const reached = await sync(5_000).then(
          () => true,
          (error: unknown) => (attempt < 10 ? false : Promise.reject(error)),
        );
        if (reached) break;
      }
      await relay();

      // Latencies per API (index 0: A, which takes the sync requests; 1: B) and per relay, in ms, in order of arrival.
      const ours: number[][][] = [];
      const theirs: number[][][] = [];
      const hops: number[] = [];
      for (let event = 0; event < EVENTS_PER_ROUND * rounds; event++) {
        const { hop, perApi } = await sync(30_000);
        hops.push(hop);
        ours.push(perApi);
        theirs.push(await relay());
      }
      const calsync = ours.flat(2);
      const baseline = theirs.flat(2);
      const perApi = [0, 1]
        .map((i) => ours.map((event) => event[i]!).flat())
        .map((latencies, i) => `API ${'AB'[i]} p50 ${percentile(latencies, 50).toFixed(1)}, p95 ${percentile(latencies, 95).toFixed(1)}`)
        .join('; ');
      // The first copy of an event to reach a socket of a process is the hop (Redis and one delivery); the last adds the fan-out to the other subscribers.
      const spread = (events: number[][][]) => {
        const median = (pick: (latencies: number[]) => number) => percentile(events.flat().map(pick), 50).toFixed(1);
        return `first copy p50 ${median((latencies) => latencies[0]!)}, last p50 ${median((latencies) => latencies.at(-1)!)}`;
      };
      const worker = `worker → Redis → this process p50 ${percentile(hops, 50).toFixed(1)}`;
      log(
        `calsync ${calsync.length} receipts (${perApi}; ${spread(ours)}; ${worker}); bare ${baseline.length} receipts (${spread(theirs)}); frame ${sample.length} bytes`,
      );
      const detail = (p: number) =>
        `p${p} (ms) over ${calsync.length} receipts: ${EVENTS_PER_ROUND * rounds} syncs of a one-event ICS feed, each committed by the worker process, × ${PER_API} graphql-ws subscribers on each of 2 API processes ` +
        `(${perApi}; ${spread(ours)} per process and event; ${worker}), from the SUCCEEDED payload's occurredAt (stamped after the commit, ms resolution) to receipt; ` +
        `baseline: a bare ioredis publish of the same ${sample.length}-byte frame to 2 relay processes (ioredis subscribe → ws send as it came) with as many of the same clients (${spread(theirs)}); ` +
        `no goal in issue 17: ratio goal 2; the gateway's Redis channels (fixed prefix calsync:) are shared with anything else on that Redis`;
      return [50, 95].map((p) => ({
        measure: `redis fan-out p${p}, 2 APIs × ${PER_API} subscribers`,
        calsync: percentile(calsync, p),
        baseline: percentile(baseline, p),
        unit: 'ms' as const,
        goal: 2,
        detail: detail(p),
      }));
    } finally {
      await Promise.all(fleets.map((fleet) => fleet.close()));
      await Promise.all(started.map((child) => child.stop()));
      publisher.disconnect();
      tap.disconnect();
      await new Promise((resolve) => feed.server.close(resolve));
    }
  },
};
