import type { EntityManager } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { RESOURCE_FILTER, TENANT_FILTER } from '../../src/db/orm';
import { WebhookEventType } from '../../src/modules/webhooks/webhook-event-type';
import { WebhookService } from '../../src/modules/webhooks/webhook.service';
import { BulkUpsertExternalEventsDocument, CreateResourceDocument } from '../graphql/generated';
import { buildGateway, gatewayEnv, startGatewayProcess, until, type GatewayProcess } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

/** Partner pushes sent one after another, each timed from its commit to its arrival. */
const PUSHES = 200;
/** Events recorded in one transaction, delivered as fast as one worker can. */
const BURST = 500;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Measures (prints; asserts only that every delivery arrived once, verified, and SUCCEEDED) the
 * latency from a change's commit to the receiver and the deliveries per second of one worker
 * process (WORKER_CONCURRENCY default 8) against a receiver answering at once.
 */
describe('webhook delivery latency and throughput with one worker process', () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let worker: GatewayProcess;
  let env: Record<string, string>;
  let resourceId: string;
  let secret: string;

  beforeAll(async () => {
    buildGateway();
    env = gatewayEnv();
    server = await startTestServer({ env, worker: false });
    receiver = await startWebhookReceiver();
    const em = server.orm.em.fork() as EntityManager;
    em.setFilterParams(TENANT_FILTER, { tenantId: server.tenantId });
    em.setFilterParams(RESOURCE_FILTER, { resourceId: null });
    const created = await new WebhookService(em, server.deps).create(server.tenantId, {
      url: receiver.url,
      eventTypes: [WebhookEventType.EXTERNAL_EVENTS_PUSHED],
    });
    secret = created.secret;
    receiver.secrets = [secret];
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Measured room', timeZone: 'UTC' } })).createResource.id;
    worker = startGatewayProcess(['worker'], env);
    // Warm-up: the worker is listening once it has delivered one.
    await new WebhookService(em, server.deps).sendTest(server.tenantId, created.endpoint.id);
    await receiver.waitFor(1, undefined, 60_000);
  }, 120_000);
  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await receiver?.close();
    await server?.close();
  });

  const succeeded = async () =>
    (
      await server.orm.em
        .getConnection()
        .execute<{ n: number }[]>(`select count(*)::int as n from webhook_delivery where tenant_id = ? and status = 'SUCCEEDED' and attempts = 1`, [
          server.tenantId,
        ])
    )[0]!.n;

  it('from the commit of a partner push to the receiver, one push at a time', async () => {
    const before = receiver.requests.length;
    const committed: number[] = [];
    for (let i = 0; i < PUSHES; i++) {
      await server.ok(BulkUpsertExternalEventsDocument, {
        input: { resourceId, items: [{ externalId: `m${i}`, title: `m${i}`, startsAt: '2030-03-04T09:00:00Z', endsAt: '2030-03-04T10:00:00Z' }] },
      });
      // The mutation answers after its transaction (the event's outbox row) committed.
      committed.push(Date.now());
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const requests = (await receiver.waitFor(before + PUSHES)).slice(before);
    expect(requests.every((request) => request.verifiedBy[0] === secret)).toBe(true);
    const latencies = requests.map((request) => {
      const [id] = (request.payload.data as { externalIds: string[] }).externalIds;
      return request.receivedAt - committed[Number(id!.slice(1))]!;
    });
    expect(new Set(requests.map((request) => request.id)).size).toBe(PUSHES);
    console.log(
      `webhook latency, commit to receiver, ${PUSHES} sequential partner pushes: p50 ${percentile(latencies, 50)} ms, ` +
        `p95 ${percentile(latencies, 95)} ms, max ${Math.max(...latencies)} ms`,
    );
    await until('every delivery to be recorded SUCCEEDED', async () => (await succeeded()) === 1 + PUSHES);
  }, 120_000);

  it(`${BURST} events committed at once are delivered by one worker`, async () => {
    const before = receiver.requests.length;
    const client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query('begin');
      // The outbox function every trigger and the partner pushes call, once per event.
      await client.query(
        `select record_webhook_event($1::uuid, 'external_events.pushed', $2::uuid,
                  jsonb_build_object('resourceId', $2::text, 'operation', 'UPSERT', 'created', 1, 'updated', 0, 'deactivated', 0,
                                     'externalIds', jsonb_build_array('burst' || g)))
           from generate_series(1, ${BURST}) g`,
        [server.tenantId, resourceId],
      );
      await client.query('commit');
    } finally {
      await client.end();
    }
    const committedAt = Date.now();
    const requests = (await receiver.waitFor(before + BURST, undefined, 120_000)).slice(before);
    const lastArrival = Math.max(...requests.map((request) => request.receivedAt));
    await until('every delivery to be recorded SUCCEEDED', async () => (await succeeded()) === 1 + PUSHES + BURST, 60_000);
    const recordedAt = Date.now();
    expect(new Set(requests.map((request) => request.id)).size).toBe(BURST);
    expect(requests.every((request) => request.verifiedBy[0] === secret)).toBe(true);
    const latencies = requests.map((request) => request.receivedAt - committedAt);
    console.log(
      `webhook burst of ${BURST} with one worker (concurrency 8): ${(BURST / ((lastArrival - committedAt) / 1000)).toFixed(0)} deliveries/s to the receiver ` +
        `(last at ${lastArrival - committedAt} ms), ${(BURST / ((recordedAt - committedAt) / 1000)).toFixed(0)}/s until all were recorded SUCCEEDED ` +
        `(${recordedAt - committedAt} ms, polled every 100 ms); commit to receiver p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms`,
    );
  }, 180_000);
});
