import { Client } from 'pg';
import { CreateWebhookEndpointDocument, SendTestWebhookDocument } from '../graphql/generated';
import { buildGateway, gatewayEnv, startGatewayProcess, type GatewayProcess } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

/** One attempt's limit in this suite, seconds. */
const TIMEOUT_SECONDS = 2;
/** Deliveries queued at once for the endpoint that never answers. */
const STUCK = 64;

/**
 * One tenant's endpoint that never answers must not hold up another tenant's webhooks: every
 * attempt takes one of the worker's WORKER_CONCURRENCY slots for up to WEBHOOK_TIMEOUT_SECONDS,
 * and graphile-worker takes jobs in run_at order, so without a limit a backlog for a hanging
 * endpoint delayed every job queued after it (other tenants' webhooks, and sync runs and exports,
 * which share the slots) by about backlog / concurrency x timeout (16 s for this one). Each
 * endpoint's deliveries are one graphile-worker queue (webhook.jobs.ts endpointQueue): it holds one slot.
 */
describe("webhooks: one tenant's hanging endpoint and another tenant's deliveries", () => {
  let server: TestServer;
  let hanging: WebhookReceiver;
  let healthy: WebhookReceiver;
  let worker: GatewayProcess;

  beforeAll(async () => {
    buildGateway();
    const env = gatewayEnv({ WEBHOOK_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS), WEBHOOK_RETRY_BASE_SECONDS: '60' });
    server = await startTestServer({ env, worker: false });
    hanging = await startWebhookReceiver();
    healthy = await startWebhookReceiver();
    hanging.script(...Array<'hold'>(STUCK * 2).fill('hold'));
    worker = startGatewayProcess(['worker'], env);
  }, 120_000);
  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await hanging?.close();
    await healthy?.close();
    await server?.close();
  });

  it("delivers another tenant's webhook within seconds while a hanging endpoint has a backlog", async () => {
    await server.ok(CreateWebhookEndpointDocument, { input: { url: hanging.url, eventTypes: ['EXTERNAL_EVENTS_PUSHED'] } });
    const other = await server.createTenant('Other partner');
    const created = await server.gql(CreateWebhookEndpointDocument, { input: { url: healthy.url, eventTypes: ['EXTERNAL_EVENTS_PUSHED'] } }, other.apiKey);
    const registered = created.data!.createWebhookEndpoint;
    healthy.secrets = [registered.secret];
    // A warm-up: the worker is taking jobs.
    await server.gql(SendTestWebhookDocument, { endpointId: registered.endpoint.id }, other.apiKey);
    await healthy.waitFor(1, undefined, 60_000);

    const client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query(
        `select record_webhook_event($1::uuid, 'external_events.pushed', null, jsonb_build_object('n', g)) from generate_series(1, ${STUCK}) g`,
        [server.tenantId],
      );
    } finally {
      await client.end();
    }
    await hanging.waitFor(1);
    const sentAt = Date.now();
    await server.gql(SendTestWebhookDocument, { endpointId: registered.endpoint.id }, other.apiKey);
    const [, arrived] = await healthy.waitFor(2, undefined, 120_000);
    expect(arrived!.verifiedBy).toEqual([registered.secret]);
    const delay = arrived!.receivedAt - sentAt;
    console.log(
      `another tenant's webhook arrived ${delay} ms after it was sent, behind ${STUCK} deliveries to an endpoint that never answers ` +
        `(WEBHOOK_TIMEOUT_SECONDS ${TIMEOUT_SECONDS}, WORKER_CONCURRENCY 8, one worker)`,
    );
    expect(delay).toBeLessThan(5_000);
  }, 180_000);
});
