import type { EntityManager } from '@mikro-orm/postgresql';
import { RESOURCE_FILTER, TENANT_FILTER } from '../../src/db/orm';
import { WebhookEventType } from '../../src/modules/webhooks/webhook-event-type';
import { WebhookService } from '../../src/modules/webhooks/webhook.service';
import { buildGateway, gatewayEnv, startGatewayProcess, until, type GatewayProcess } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

/** One attempt's limit; a lease is twice that and 5 s (webhook-deliverer.ts leaseMs). */
const TIMEOUT_SECONDS = 3;
const LEASE_MS = 2 * TIMEOUT_SECONDS * 1000 + 5_000;

interface LeaseRow {
  status: string;
  attempts: number;
  attempt_worker: string | null;
  held_ms: number | null;
}

describe('webhook deliveries that dead workers left: a SIGKILL mid-attempt, a lost job', () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let env: Record<string, string>;
  const workers: GatewayProcess[] = [];

  beforeAll(async () => {
    // The workers run the compiled gateway, as `npm run worker` does.
    buildGateway();
    env = gatewayEnv({ WEBHOOK_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS), WEBHOOK_RETRY_BASE_SECONDS: '0.2' });
    server = await startTestServer({ env, worker: false });
    receiver = await startWebhookReceiver();
  }, 120_000);
  afterAll(async () => {
    for (const worker of workers) await worker.stop('SIGKILL');
    await receiver?.close();
    await server?.close();
  });

  it('loses nothing: once the lease has expired, a new worker sends the same webhook-id again and the delivery ends SUCCEEDED', async () => {
    const em = server.orm.em.fork() as EntityManager;
    em.setFilterParams(TENANT_FILTER, { tenantId: server.tenantId });
    em.setFilterParams(RESOURCE_FILTER, { resourceId: null });
    const webhooks = new WebhookService(em, server.deps);
    const { endpoint, secret } = await webhooks.create(server.tenantId, { url: receiver.url, eventTypes: [WebhookEventType.EXTERNAL_EVENTS_PUSHED] });
    receiver.secrets = [secret];
    // The first attempt is held open by the receiver; the ones after it are answered 200.
    receiver.script('hold');
    const delivery = await webhooks.sendTest(server.tenantId, endpoint.id);
    const sql = server.orm.em.getConnection();
    const lease = async () =>
      (
        await sql.execute<LeaseRow[]>(
          `select status, attempts, attempt_worker, (extract(epoch from now() - attempt_started_at) * 1000)::int as held_ms
             from webhook_delivery where id = ?`,
          [delivery.id],
        )
      )[0]!;

    const first = startGatewayProcess(['worker'], env);
    workers.push(first);
    const [held] = await receiver.waitFor(1);
    expect(receiver.held()).toBe(1);
    await first.stop('SIGKILL');
    // The dead worker's lease stays: the delivery is PENDING, held, its attempt not counted.
    const orphaned = await lease();
    expect(orphaned).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(orphaned.attempt_worker).not.toBeNull();
    await until('the killed attempt to be closed at the receiver', async () => receiver.held() === 0);

    // A worker starting runs the reapers at once; it must find the lease expired.
    await until('the lease to expire', async () => ((await lease()).held_ms ?? 0) > LEASE_MS + 200, LEASE_MS + 5_000);
    const second = startGatewayProcess(['worker'], env);
    workers.push(second);
    const requests = await receiver.waitFor(2, undefined, 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\n--- first worker ---\n${first.output()}\n--- second worker ---\n${second.output()}`);
    });
    expect(requests).toHaveLength(2);
    expect(requests[1]!.id).toBe(held!.id);
    expect(requests[1]!.body).toBe(held!.body);
    expect(requests.map((request) => request.verifiedBy)).toEqual([[secret], [secret]]);
    expect(requests[1]!.answer).toBe(200);
    const done = await until('the delivery to settle', async () => {
      const row = await lease();
      return row.status === 'PENDING' ? null : row;
    });
    expect(done).toEqual({ status: 'SUCCEEDED', attempts: 1, attempt_worker: null, held_ms: null });
    // At least once, not more: no third request.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(receiver.requests).toHaveLength(2);
    expect(await second.stop('SIGTERM')).toBe(0);
  }, 90_000);

  it('a PENDING delivery whose job was lost is queued again by the reaper of a starting worker', async () => {
    const em = server.orm.em.fork() as EntityManager;
    em.setFilterParams(TENANT_FILTER, { tenantId: server.tenantId });
    em.setFilterParams(RESOURCE_FILTER, { resourceId: null });
    const webhooks = new WebhookService(em, server.deps);
    const { endpoint, secret } = await webhooks.create(server.tenantId, { url: receiver.url, eventTypes: [WebhookEventType.EXTERNAL_EVENTS_PUSHED] });
    receiver.secrets = [secret];
    const delivery = await webhooks.sendTest(server.tenantId, endpoint.id);
    const sql = server.orm.em.getConnection();
    // Its job is gone (as with a queue restored from an older backup) and it is overdue by more than a minute.
    expect(await sql.execute('select (graphile_worker.remove_job(?)).id is not null as removed', [`webhook-endpoint:${endpoint.id}`])).toEqual([
      { removed: true },
    ]);
    await sql.execute(`update webhook_delivery set next_attempt_at = now() - interval '2 minutes' where id = ?`, [delivery.id]);
    const before = receiver.requests.length;

    const worker = startGatewayProcess(['worker'], env);
    workers.push(worker);
    const [request] = await receiver
      .waitFor(1, (received) => received.id === delivery.id, 30_000)
      .catch((error: Error) => {
        throw new Error(`${error.message}\n--- worker ---\n${worker.output()}`);
      });
    expect(receiver.requests).toHaveLength(before + 1);
    expect(request!.verifiedBy).toEqual([secret]);
    expect(request!.type).toBe('webhook.test');
    await until('the delivery to succeed', async () => {
      const [row] = await sql.execute<{ status: string }[]>('select status from webhook_delivery where id = ?', [delivery.id]);
      return row!.status === 'SUCCEEDED';
    });
    expect(await worker.stop('SIGTERM')).toBe(0);
  }, 60_000);
});
